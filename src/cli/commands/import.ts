import { randomUUID } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import type { Command } from 'commander'
import type { ImportResult, RedactionRuleSpec } from '../../shared/dto'
import { claudeProjectsDirs } from '../../core'
import { CliError, call, openCore, printJson, waitingForStore, type GlobalOptions } from '../context'
import { byteSize, compact, runsTable } from '../format'
import { STDIN_NAME, stdinToFile } from '../stdin-file'

/**
 * `--tag k=v`, checked before the store is opened. An empty value or a key given twice is
 * refused: `runs tag k=` removes a tag, and of two values the one kept would be a guess.
 */
function parseTags(values: string[]): Record<string, string> {
  const tags: Record<string, string> = {}
  for (const v of values) {
    const i = v.indexOf('=')
    if (i <= 0) throw new CliError(`--tag expects key=value, got "${v}"`, 2)
    const [key, value] = [v.slice(0, i), v.slice(i + 1)]
    if (value === '') throw new CliError(`--tag ${v}: the value is empty (to remove a tag from a stored run: swarmscope runs tag <run> ${key}=)`, 2)
    if (key in tags) throw new CliError(`--tag ${key} is given twice ("${tags[key]}" and "${value}")`, 2)
    tags[key] = value
  }
  return tags
}

function parseGroup(v: string | undefined): string | undefined {
  if (v !== undefined && v.trim() === '') throw new CliError('--group needs a name (to take a stored run out of its group: swarmscope runs group <run> "")', 2)
  return v
}

const POLICIES = ['none', 'redacted', 'full'] as const
type Policy = (typeof POLICIES)[number]

/** Undefined leaves the choice to the privacy.contentPolicy setting (default none). */
function parseContent(v: string | undefined): Policy | undefined {
  if (v === undefined) return undefined
  if (!(POLICIES as readonly string[]).includes(v)) throw new CliError(`--content expects none, redacted or full, got "${v}"`, 2)
  return v as Policy
}

function readRules(file: string | undefined): RedactionRuleSpec[] | undefined {
  if (file === undefined) return undefined
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    throw new CliError(`--redact-rules ${file}: ${(e as Error).message}`, 2)
  }
  const list = Array.isArray(json) ? json : (json as { rules?: unknown } | null)?.rules
  if (!Array.isArray(list)) throw new CliError(`--redact-rules ${file}: expected an array of rules or {"rules": [...]}`, 2)
  return list as RedactionRuleSpec[]
}

/** Without paths: the Claude Code projects folders that exist (claude-dirs.ts), as ccusage reads them. */
function claudeFolders(): string[] {
  const all = claudeProjectsDirs()
  const found = all.filter((d) => existsSync(d))
  if (found.length === 0) throw new CliError(`no paths given, and no Claude Code projects folder found (looked in ${all.join(', ')}); name the files or folders to import`, 2)
  return found
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('import run logs (files or folders; each file is recognised by its content): Claude Code transcripts with subagents, claude-flow v2/v3 metrics and databases, OTLP JSON, Swarmscope NDJSON; re-importing is safe and reads only what is new')
    .argument('[paths...]', "files or folders (folders are walked), or - for standard input (a transcript, OTLP JSON or NDJSON piped in); default: Claude Code's projects folders (~/.claude/projects, ~/.config/claude/projects, or each of $CLAUDE_CONFIG_DIR)")
    .option('--group <name>', 'put the imported runs in a group, e.g. topology=mesh')
    .option('--tag <key=value>', 'tag the imported runs (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--content <policy>', 'text to keep: none (sizes and metadata only), redacted (secrets and home paths replaced) or full; default: the privacy.contentPolicy setting, which defaults to none')
    .option('--redact-rules <file.json>', 'extra redaction rules: [{"id","pattern","flags"?,"replacement"?}]')
    .addHelpText('after', '\nWith the global --json it prints {"runs": [...], "skipped": [{"file", "line", "reason"}]}.\n\nExamples:\n  swarmscope import                      # every Claude Code session on this machine\n  swarmscope import ~/.claude/projects/my-project --group baseline --json\n  swarmscope import ./my-swarm/.claude-flow ./my-swarm/.swarm/memory.db traces.json\n  ssh box cat .claude/projects/p/s.jsonl | swarmscope import -')
    .action(async (given: string[], cmdOpts: { group?: string; tag: string[]; content?: string; redactRules?: string }, cmd: Command) => {
      // Every argument is checked before the store is opened (or created).
      const paths = given.length > 0 ? given : claudeFolders()
      const content = parseContent(cmdOpts.content)
      const redactRules = readRules(cmdOpts.redactRules)
      const [group, tags] = [parseGroup(cmdOpts.group), parseTags(cmdOpts.tag)]
      if (paths.filter((p) => p === '-').length > 1) throw new CliError('- (standard input) is named twice', 2)
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      // `-`: what is piped in, copied to a scratch file first (before the store is opened, so
      // that a slow sender does not hold it) and named "(stdin)" in what is said of it.
      let stdin: Awaited<ReturnType<typeof stdinToFile>> | null = null
      if (paths.includes('-')) {
        if (process.stdin.isTTY) console.error('reading standard input (end it with Ctrl-D)…')
        stdin = await stdinToFile()
      }
      const named = (file: string) => (stdin && file === stdin.path ? STDIN_NAME : file)
      try {
        await importNamed(stdin ? paths.map((p) => (p === '-' ? stdin!.path : p)) : paths, { group, tags, content, redactRules }, opts, named)
      } finally {
        stdin?.remove()
      }
    })
}

const isBundle = (path: string) => path.endsWith('.swarmscope') && statSync(path, { throwIfNoEntry: false })?.isFile() === true

/** The import itself, with its progress line, Ctrl-C and summary; `named` says how a file is shown. */
async function importNamed(
  paths: string[],
  req: { group?: string; tags: Record<string, string>; content?: Policy; redactRules?: RedactionRuleSpec[] },
  opts: GlobalOptions,
  named: (file: string) => string,
): Promise<void> {
  const { group, tags, content, redactRules } = req
  const core = openCore(opts)
  const tty = process.stderr.isTTY && !opts.json
  // Waiting for another process's write (the app tailing, another import) is said even to a
  // script: once, on stderr, so that a pause is not taken for a hang.
  let toldWaiting = false
  const off = core.on('import.progress', (p) => {
    if (p.waitingMs !== undefined) {
      const waiting = waitingForStore(core.dbPath)
      if (tty) process.stderr.write(`\r\x1b[K${waiting}: ${Math.round(p.waitingMs / 1000)} s; Ctrl-C cancels`)
      else if (!toldWaiting) console.error(`${waiting}…`)
      toldWaiting = true
      return
    }
    if (!tty) return
    const pct = p.totalBytes ? Math.floor((100 * p.bytesRead) / p.totalBytes) : 100
    const figures = [`${byteSize(p.bytesRead)} of ${byteSize(p.totalBytes)}`, `${p.filesDone}/${p.filesTotal} files`, `${compact(p.lines)} lines`, `${p.runs} runs`]
    process.stderr.write(`\r\x1b[Kimporting ${pct}%  ${figures.join('  ')}`)
  })
  // Ctrl-C cancels: the import rolls back and removes what it copied (a claude-flow database
  // is read from a copy in the temp folder); a second Ctrl-C ends the process at once.
  const importId = randomUUID()
  const onSignal = (signal: NodeJS.Signals) => {
    if (tty) process.stderr.write('\r\x1b[Kcancelling…')
    void core.call('import.cancel', { importId })
    process.once(signal, () => process.exit(130))
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    // A Swarmscope bundle named here is opened, as one dropped on the app's window is: it was
    // listed as a "binary file of an unknown format".
    const bundles = paths.filter(isBundle)
    const rest = paths.filter((p) => !bundles.includes(p))
    const result: ImportResult = rest.length
      ? await call(core, 'import.paths', { paths: rest, group, tags, content, redactRules, importId })
      : { runs: [], skipped: [], files: 0, unchanged: 0, kept: [] }
    for (const path of bundles) {
      const r = await core.call('bundle.import', { path })
      result.files++
      if (r.ok) {
        result.runs.push(...r.data.runs)
        result.kept.push(...r.data.existing)
      } else result.skipped.push({ file: path, line: null, reason: r.error.message })
    }
    if (tty) process.stderr.write('\r\x1b[K')
    // Nothing imported and something refused: a script must be able to tell.
    if (result.runs.length === 0 && result.skipped.length > 0) process.exitCode = 1
    if (result.kept.length > 0) {
      console.error(`note: ${result.kept.length} run(s) were stored before and keep their group and tags; change them with \`swarmscope runs group <run> <name>\` or \`swarmscope runs tag <run> k=v\``)
    }
    if (opts.json) return printJson({ runs: result.runs, skipped: result.skipped.map((s) => ({ ...s, file: named(s.file) })) })
    if (result.runs.length > 0) console.log(runsTable(result.runs))
    for (const s of result.skipped) console.error(`skipped ${named(s.file)}${s.line ? `:${s.line}` : ''}: ${s.reason}`)
    const unchanged = result.unchanged > 0 ? ` (${result.unchanged} unchanged since the last import, not read again)` : ''
    console.log(`${result.runs.length} run(s) from ${result.files} file(s)${unchanged}; ${result.skipped.length} skipped`)
  } catch (e) {
    if (e instanceof CliError && e.message === 'import cancelled') {
      if (tty) process.stderr.write('\r\x1b[K')
      throw new CliError('import cancelled; the store is as it was', 130)
    }
    throw e
  } finally {
    process.removeListener('SIGINT', onSignal)
    process.removeListener('SIGTERM', onSignal)
    off()
    core.close()
  }
}
