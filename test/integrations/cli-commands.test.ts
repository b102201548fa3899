import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createCore } from '../../src/core'
import { tempDir } from '../helpers/temp'
import { BIN, swarmNdjson } from './swarm-fixture'

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) }
}
const noStack = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at /)

/** Cost of one LLM call in USD from per-million rates, written out here rather than taken from the app. */
const priced = (l: Record<string, number>, r: { input: number; output: number; write: number; read: number }) =>
  ((l.inputTokens ?? 0) * r.input + (l.outputTokens ?? 0) * r.output + (l.cacheCreationTokens ?? 0) * r.write + (l.cacheReadTokens ?? 0) * r.read) / 1e6

describe('swarmscope config', () => {
  it('gets, sets, lists, resets and locates settings in config.json beside --db, validated with the app’s schema', { timeout: 120_000 }, async () => {
    const db = join(tempDir(), 'data', 'swarm.db')
    expect(cli(['--db', db, 'config', 'path']).stdout.trim()).toBe(join(dirname(db), 'config.json'))
    expect(cli(['--db', db, 'config', 'set', 'server.port', '7421']).code).toBe(0)
    expect(cli(['--db', db, 'config', 'set', 'alerts.rules', '[{"id":"budget","kind":"cost-per-run","threshold":5}]']).code).toBe(0)
    expect(JSON.parse(readFileSync(join(dirname(db), 'config.json'), 'utf8')).server.port).toBe(7421)
    const list = cli(['--db', db, 'config', 'list'])
    expect(list.stdout).toContain('server.port = 7421')
    expect(list.stdout).toContain('alerts.rules = [{"id":"budget","enabled":true,"kind":"cost-per-run","threshold":5}]')

    // The app reads the same file through the config.get route.
    const core = createCore({ path: db })
    const view = await core.call('config.get', {})
    core.close()
    expect(view.ok && view.data.config.server.port).toBe(7421)

    const bad = cli(['--db', db, 'config', 'set', 'server.port', 'seventy'])
    expect(bad.code).toBe(2)
    expect(bad.stderr.trim()).toBe('swarmscope: invalid value for server.port: server.port: Invalid input: expected number, received string')
    const unknown = cli(['--db', db, 'config', 'get', 'server.colour'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr.trim()).toMatch(/^swarmscope: unknown setting "server.colour"/)
    expect(cli(['--db', db, 'config', 'reset', 'server.port']).code).toBe(0)
    expect(cli(['--db', db, 'config', 'get', 'server.port', '--json']).json()).toBe(7420)

    // A broken file is reported in one sentence and never silently replaced; `config reset` repairs it.
    writeFileSync(join(dirname(db), 'config.json'), '{"server": ')
    const broken = cli(['--db', db, 'config', 'list'])
    expect(broken.code).toBe(2)
    expect(broken.stderr).toMatch(/config\.json is not valid JSON .*run `swarmscope config reset`/)
    noStack(broken.stderr)
    expect(cli(['--db', db, 'config', 'reset']).code).toBe(0)
    expect(cli(['--db', db, 'config', 'get', 'alerts.rules', '--json']).json()).toEqual([])
  })
})

describe('swarmscope pricing', () => {
  it('overrides a model’s price, reprices stored runs and new imports, keeps source-stated costs, and undoes it', { timeout: 120_000 }, async () => {
    const dir = tempDir()
    const db = join(dir, 'p.db')
    const text = swarmNdjson({ runId: 'priced', seed: 11 })
    writeFileSync(join(dir, 'priced.ndjson'), text)
    // A run whose only LLM call states its exact cost: no price table may change it.
    writeFileSync(join(dir, 'stated.ndjson'), [
      { v: 1, type: 'run', id: 'stated' },
      { type: 'span', id: 'l1', kind: 'llm', name: 'claude-haiku-4-5', model: 'claude-haiku-4-5', start: 1, end: 2, inputTokens: 1000, outputTokens: 10, costUsd: 0.123 },
    ].map((l) => JSON.stringify(l)).join('\n') + '\n')
    expect(cli(['--db', db, 'import', dir]).code).toBe(0)
    const llm = text.split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((l) => l.kind === 'llm')
    const builtIn = { 'claude-sonnet-4-5': { input: 3, output: 15, write: 3.75, read: 0.3 }, 'claude-haiku-4-5': { input: 1, output: 5, write: 1.25, read: 0.1 } }
    const cost = (rates: Record<string, { input: number; output: number; write: number; read: number }>) => llm.reduce((n, l) => n + priced(l, rates[l.model]), 0)
    // Costs are read in-process from the same database file (the CLI under test does the writing).
    const reader = createCore({ path: db })
    const runCost = async (id: string) => {
      const r = await reader.call('runs.get', { id })
      if (!r.ok) throw new Error(r.error.message)
      return r.data.costUsd
    }
    expect(await runCost('priced')).toBeCloseTo(cost(builtIn), 12)

    const set = cli(['--db', db, 'pricing', 'set', 'claude-haiku-4-5', '--input', '2', '--output', '10', '--json'])
    expect(set.code).toBe(0)
    const haiku = { input: 2, output: 10, write: 2.5, read: 0.2 } // cache rates default to 1.25×, 0.1× input
    expect(set.json().recomputed).toMatchObject({ runs: 1 })
    expect(await runCost('priced')).toBeCloseTo(cost({ ...builtIn, 'claude-haiku-4-5': haiku }), 12)
    expect(await runCost('stated')).toBe(0.123)
    const shown = cli(['--db', db, 'pricing', '--json']).json()
    expect(shown.models.find((m: { match: string }) => m.match === 'claude-haiku-4-5')).toMatchObject({ input: 2, output: 10, cacheWrite5m: 2.5, cacheRead: 0.2, origin: 'override' })
    expect(cli(['--db', db, 'pricing', 'show', '--model', 'claude-haiku']).stdout).toMatch(/claude-haiku-4-5\s+\$2\s+\$10\s+\$2\.5\s+\$4\s+\$0\.2\s+override/)

    // A run imported after the override is priced with it straight away.
    writeFileSync(join(dir, 'later.ndjson'), text.replace(/"priced"/g, '"later"').replace('"id":"priced"', '"id":"later"'))
    expect(cli(['--db', db, 'import', join(dir, 'later.ndjson')]).code).toBe(0)
    expect(await runCost('later')).toBeCloseTo(cost({ ...builtIn, 'claude-haiku-4-5': haiku }), 12)

    expect(cli(['--db', db, 'pricing', 'unset', 'claude-haiku-4-5']).code).toBe(0)
    expect(await runCost('priced')).toBeCloseTo(cost(builtIn), 12)
    expect(await runCost('later')).toBeCloseTo(cost(builtIn), 12)
    expect(await runCost('stated')).toBe(0.123)
    const missing = cli(['--db', db, 'pricing', 'unset', 'claude-haiku-4-5'])
    expect(missing.code).toBe(3)
    expect(missing.stderr.trim()).toBe('swarmscope: no price override for claude-haiku-4-5')
    const badRate = cli(['--db', db, 'pricing', 'set', 'x', '--input', 'cheap', '--output', '1'])
    expect(badRate.code).toBe(2)
    expect(badRate.stderr.trim()).toBe('swarmscope: --input expects USD per million tokens (a number ≥ 0), got "cheap"')
    reader.close()
  })
})

describe('swarmscope runs group, doctor and help', () => {
  it('moves a run to a group and out of it', { timeout: 90_000 }, () => {
    const dir = tempDir()
    const db = join(dir, 'g.db')
    writeFileSync(join(dir, 'r.ndjson'), swarmNdjson({ runId: 'r1', seed: 3, callsPerAgent: 3 }))
    expect(cli(['--db', db, 'import', dir]).code).toBe(0)
    expect(cli(['--db', db, 'runs', 'group', 'r1', 'baseline', '--json']).json().group).toBe('baseline')
    expect(cli(['--db', db, 'runs', '--group', 'baseline', '--json']).json().map((r: { id: string }) => r.id)).toEqual(['r1'])
    expect(cli(['--db', db, 'runs', 'group', 'latest', '', '--json']).json().group).toBeNull()
    expect(cli(['--db', db, 'runs', 'group', 'nope', 'x']).code).toBe(3)
  })

  it('doctor reports each check with a fix, and fails only on required ones', { timeout: 90_000 }, () => {
    const ok = cli(['--db', join(tempDir(), 'd.db'), 'doctor', '--json'])
    const report = ok.json()
    const names = report.checks.map((c: { name: string }) => c.name)
    for (const n of ['Node.js', 'better-sqlite3', 'data directory', 'settings', 'Chromium (PDF and PNG reports)', 'Electron (desktop app)']) expect(names).toContain(n)
    expect(names.some((n: string) => n.startsWith('port 7420'))).toBe(true)
    expect(report.checks.find((c: { name: string }) => c.name === 'better-sqlite3').status).toBe('ok')
    for (const c of report.checks) if (c.status !== 'ok') expect(c.fix, c.name).toBeTruthy()
    expect(ok.code).toBe(report.checks.some((c: { status: string }) => c.status === 'error') ? 1 : 0)

    // A data directory below a regular file cannot exist.
    const file = join(tempDir(), 'a-file')
    writeFileSync(file, '')
    const unwritable = cli(['--db', join(file, 'data', 'd.db'), 'doctor'])
    expect(unwritable.code).toBe(1)
    expect(unwritable.stdout).toContain(`FAIL  data directory: ${join(file, 'data')} is not writable (ENOTDIR)`)
    expect(unwritable.stdout).toContain('fix: pass --db PATH or set SWARMSCOPE_DATA_DIR')

    // Claude Code's folders, as `import` without paths reads them: counted where they exist.
    const home = tempDir()
    mkdirSync(join(home, '.claude', 'projects', 'app'), { recursive: true })
    for (const s of ['a', 'b']) writeFileSync(join(home, '.claude', 'projects', 'app', `${s}.jsonl`), '')
    const env = { HOME: home, CLAUDE_CONFIG_DIR: '', XDG_CONFIG_HOME: '' }
    const claude = (r: { json(): { checks: { name: string; status: string; detail: string }[] } }) => r.json().checks.find((c) => c.name === 'Claude Code transcripts')
    expect(claude(cli(['--db', join(home, 'd.db'), 'doctor', '--json'], env))).toEqual({ name: 'Claude Code transcripts', status: 'ok', detail: `${join(home, '.claude', 'projects')}: 1 project, 2 sessions` })
    const bare = tempDir()
    expect(claude(cli(['--db', join(bare, 'd.db'), 'doctor', '--json'], { ...env, HOME: bare }))).toMatchObject({ status: 'warn', detail: `no Claude Code projects folder (looked in ${join(bare, '.claude', 'projects')})` })
  })
})
