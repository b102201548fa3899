import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import type { RedactionRuleSpec } from '../../shared/dto'
import { CliError, call, openCore, printJson, type GlobalOptions } from '../context'
import { compact, runsTable } from '../format'

function parseTags(values: string[]): Record<string, string> {
  const tags: Record<string, string> = {}
  for (const v of values) {
    const i = v.indexOf('=')
    if (i <= 0) throw new CliError(`--tag expects key=value, got "${v}"`, 2)
    tags[v.slice(0, i)] = v.slice(i + 1)
  }
  return tags
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

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('import run logs (files or folders; each file is recognised by its content): Claude Code transcripts with subagents, claude-flow v2/v3 metrics and databases, OTLP JSON, Swarmscope NDJSON; re-importing is safe and reads only what is new')
    .argument('<paths...>', 'files or folders (folders are walked)')
    .option('--group <name>', 'put the imported runs in a group, e.g. topology=mesh')
    .option('--tag <key=value>', 'tag the imported runs (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--content <policy>', 'text to keep: none (sizes and metadata only), redacted (secrets and home paths replaced) or full; default: the privacy.contentPolicy setting, which defaults to none')
    .option('--redact-rules <file.json>', 'extra redaction rules: [{"id","pattern","flags"?,"replacement"?}]')
    .addHelpText('after', '\nWith the global --json it prints {"runs": [...], "skipped": [{"file", "line", "reason"}]}.\n\nExamples:\n  swarmscope import ~/.claude/projects/my-project --group baseline --json\n  swarmscope import ./my-swarm/.claude-flow ./my-swarm/.swarm/memory.db traces.json')
    .action(async (paths: string[], cmdOpts: { group?: string; tag: string[]; content?: string; redactRules?: string }, cmd: Command) => {
      const content = parseContent(cmdOpts.content)
      const redactRules = readRules(cmdOpts.redactRules)
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const core = openCore(opts)
      const tty = process.stderr.isTTY && !opts.json
      const off = tty
        ? core.on('import.progress', (p) => {
            const pct = p.totalBytes ? Math.floor((100 * p.bytesRead) / p.totalBytes) : 100
            process.stderr.write(`\rimporting ${pct}%  ${p.filesDone}/${p.filesTotal} files  ${compact(p.lines)} lines   `)
          })
        : () => undefined
      try {
        const result = await call(core, 'import.paths', { paths, group: cmdOpts.group, tags: parseTags(cmdOpts.tag), content, redactRules })
        if (tty) process.stderr.write('\r\x1b[K')
        // Nothing imported and something refused: a script must be able to tell.
        if (result.runs.length === 0 && result.skipped.length > 0) process.exitCode = 1
        if (opts.json) return printJson({ runs: result.runs, skipped: result.skipped })
        console.log(runsTable(result.runs))
        for (const s of result.skipped) console.error(`skipped ${s.file}${s.line ? `:${s.line}` : ''}: ${s.reason}`)
        console.log(`${result.runs.length} run(s) from ${result.files} file(s); ${result.skipped.length} skipped`)
      } finally {
        off()
        core.close()
      }
    })
}
