import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { CC, SHOWCASE_MAIN, SHOWCASE_SUB, SIDECHAIN, sessionFacts } from '../helpers/transcript-facts'
import { tempDb, tempDir } from '../helpers/temp'

const BIN = new URL('../../bin/swarmscope.mjs', import.meta.url).pathname

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('swarmscope CLI', () => {
  it('import --json prints each run with its id and deduplicated counts; runs --json lists them', () => {
    const db = tempDb()
    const imported = cli(['import', CC, '--json', '--db', db])
    expect(imported.stderr).toBe('')
    expect(imported.code).toBe(0)
    const out = JSON.parse(imported.stdout)
    const facts = sessionFacts([SIDECHAIN, SHOWCASE_MAIN, SHOWCASE_SUB])
    expect(out.skipped).toEqual([])
    for (const f of facts.values()) {
      const run = out.runs.find((r: { id: string }) => r.id === `cc-${f.sessionId}`)
      expect(run).toMatchObject({ source: 'claude-code', format: 'claude-code-jsonl', llmCalls: f.llmCalls, toolCalls: f.toolCalls, agents: f.agents, inputTokens: f.inputTokens, outputTokens: f.outputTokens, cacheCreationTokens: f.cacheCreationTokens, cacheReadTokens: f.cacheReadTokens, durationMs: f.durationMs })
      for (const key of ['name', 'group', 'startedAt', 'endedAt', 'spans', 'errors', 'metricSamples', 'events', 'costUsd', 'reportedCostUsd']) expect(run).toHaveProperty(key)
    }
    const listed = JSON.parse(cli(['runs', '--json', '--db', db]).stdout)
    expect(listed.map((r: { id: string }) => r.id).sort()).toEqual(out.runs.map((r: { id: string }) => r.id).sort())
  })

  it('takes the database from SWARMSCOPE_DB and manages runs (tag, group, rename, delete)', () => {
    const db = tempDb()
    const env = { SWARMSCOPE_DB: db }
    expect(cli(['import', SIDECHAIN, '--group', 'baseline', '--tag', 'topology=mesh'], env).code).toBe(0)
    const [run] = JSON.parse(cli(['runs', '--json', '--group', 'baseline'], env).stdout)
    expect(run).toMatchObject({ group: 'baseline', tags: { topology: 'mesh' } })
    expect(JSON.parse(cli(['runs', 'rename', run.id, 'first try', '--json'], env).stdout).name).toBe('first try')
    expect(JSON.parse(cli(['runs', 'tag', 'latest', 'topology=', 'model=sonnet', '--json'], env).stdout).tags).toEqual({ model: 'sonnet' })
    expect(cli(['runs', 'delete', run.id], env).code).toBe(0)
    expect(JSON.parse(cli(['runs', '--json'], env).stdout)).toEqual([])
    // Deleting forgot the file, so importing it again brings the run back.
    expect(JSON.parse(cli(['import', SIDECHAIN, '--json'], env).stdout).runs).toHaveLength(1)
  })

  it('answers errors with one sentence and a meaningful exit code, no stack trace', () => {
    const db = tempDb()
    const missing = cli(['runs', 'show', 'no-such-run', '--db', db])
    expect(missing.code).toBe(3)
    expect(missing.stderr.trim()).toBe('swarmscope: no run with id no-such-run')
    const nothing = cli(['import', '/no/such/file.jsonl', '--db', db])
    expect(nothing.code).toBe(1)
    expect(nothing.stderr).toContain('skipped /no/such/file.jsonl: cannot read: no such file or folder')
    expect(nothing.stderr).not.toMatch(/\bat .*\.ts:\d+/)
    // Bad arguments exit 2, as documented: commander's refusals and our own checks alike.
    // `import` without paths reads Claude Code's folders (test/live/claude-dirs.test.ts); a home without any is refused.
    const noClaude = cli(['import', '--db', db], { HOME: tempDir(), CLAUDE_CONFIG_DIR: '', XDG_CONFIG_HOME: '' })
    expect(noClaude.code).toBe(2)
    expect(noClaude.stderr).toMatch(/^swarmscope: no paths given, and no Claude Code projects folder found/)
    for (const args of [['frobnicate'], ['import', SIDECHAIN, '--bogus'], ['import', SIDECHAIN, '--tag', 'bad'], ['import', SIDECHAIN, '--tag', '=x'], ['import', SIDECHAIN, '--content', 'weird']]) {
      const r = cli([...args, '--db', db])
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr, args.join(' ')).not.toMatch(/\bat .*\.ts:\d+/)
    }
    expect(cli(['--version']).code).toBe(0)
  })

  it('has --help with an example for each command', () => {
    for (const cmd of ['import', 'runs', 'serve']) {
      const help = cli([cmd, '--help'])
      expect(help.code).toBe(0)
      expect(help.stdout).toMatch(/Example/)
    }
    // import names every format it reads, not only Claude Code's.
    expect(cli(['import', '--help']).stdout.replace(/\s+/g, ' ')).toMatch(/Claude Code transcripts with subagents, claude-flow v2\/v3 metrics and databases, OTLP JSON, Swarmscope NDJSON/)
  })
})
