import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../src/core'
import type { RouteInput, RouteName, RouteOutput } from '../../src/shared/contract'
import { tempDb, tempDir } from '../helpers/temp'
import { BIN, REAL_FIXTURES, writeSwarms } from './swarm-fixture'

const cores: Core[] = []
afterEach(() => cores.splice(0).forEach((c) => c.close()))
const open = (path = tempDb()) => {
  const c = createCore({ path })
  cores.push(c)
  return c
}
async function get<R extends RouteName>(core: Core, route: R, input: RouteInput<R>): Promise<RouteOutput<R>> {
  const r = await core.call(route, input)
  if (!r.ok) throw new Error(`${route}: ${r.error.message}`)
  return r.data
}

/** Every real fixture (Claude Code, claude-flow v2/v3, OTLP) plus generated swarms with subagents, errors and metrics. */
async function loaded(): Promise<{ core: Core; ids: string[] }> {
  const core = open()
  const dir = tempDir()
  writeSwarms(dir, [{ runId: 'swarm-a', seed: 1, errorEvery: 5, slowCalls: [3] }, { runId: 'swarm-b', seed: 2, subagents: 3 }])
  const imported = await get(core, 'import.paths', { paths: [REAL_FIXTURES, dir] })
  expect(imported.skipped).toEqual([])
  return { core, ids: imported.runs.map((r) => r.id).sort() }
}

/** Everything a user can see of a run, through the routes. */
async function everything(core: Core, id: string) {
  const { format: _f, ...run } = await get(core, 'runs.get', { id })
  const spans = []
  for (let offset: number | null = 0; offset !== null; ) {
    const page: RouteOutput<'rundata.spans'> = await get(core, 'rundata.spans', { id, offset, limit: 7 })
    spans.push(...page.spans)
    offset = page.nextOffset
  }
  return {
    run,
    overview: await get(core, 'runs.overview', { id, maxPoints: 50 }).then(({ run: _r, ...rest }) => rest),
    analysis: await get(core, 'analysis.run', { id, seed: 3 }),
    spans,
    metrics: await get(core, 'rundata.metrics', { id, maxPoints: 20 }),
  }
}

describe('export', () => {
  it('NDJSON re-imports into identical numbers: summaries, agents, every span, analysis and metric series', async () => {
    const { core, ids } = await loaded()
    expect(ids.length).toBeGreaterThanOrEqual(10)
    const exported = await get(core, 'export.runs', { runs: ids, format: 'ndjson' })
    expect(exported.runIds.sort()).toEqual(ids)
    const file = join(tempDir(), exported.filename)
    writeFileSync(file, exported.content)

    const copy = open()
    const again = await get(copy, 'import.paths', { paths: [file] })
    expect(again.skipped).toEqual([])
    expect(again.runs.map((r) => r.id).sort()).toEqual(ids)
    for (const id of ids) {
      const [a, b] = [await everything(core, id), await everything(copy, id)]
      expect(b, id).toEqual(a)
      expect((await get(copy, 'runs.get', { id })).format).toBe('swarmscope-ndjson')
    }
    // And out again: the second export is the same file.
    expect((await get(copy, 'export.runs', { runs: ids, format: 'ndjson' })).content).toBe(exported.content)
  })

  it('saved as .jsonl (the usual name for JSON lines), the export of Claude Code runs is read as NDJSON, not as a transcript', async () => {
    const { core, ids } = await loaded()
    const claudeRuns = ids.filter((id) => id.startsWith('cc-'))
    expect(claudeRuns.length).toBeGreaterThan(0)
    const exported = await get(core, 'export.runs', { runs: claudeRuns, format: 'ndjson' })
    const file = join(tempDir(), 'claude-runs.jsonl')
    writeFileSync(file, exported.content)
    const copy = open()
    // Before: its run records' "sessionId" attribute made it look like a transcript; it imported no run and skipped nothing.
    const again = await get(copy, 'import.paths', { paths: [file] })
    expect(again.skipped).toEqual([])
    expect(again.runs.map((r) => r.id).sort()).toEqual(claudeRuns)
    for (const id of claudeRuns) expect((await get(copy, 'runs.get', { id })).inputTokens).toBe((await get(core, 'runs.get', { id })).inputTokens)
  })

  it('through the CLI: export a group to a file, import it elsewhere, same runs list', { timeout: 90_000 }, () => {
    const dir = tempDir()
    const [db1, db2] = [join(dir, 'one.db'), join(dir, 'two.db')]
    const runCli = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 })
    const swarms = tempDir()
    writeSwarms(swarms, [{ runId: 's1', seed: 5 }, { runId: 's2', seed: 6, errorEvery: 4 }])
    expect(runCli(['--db', db1, 'import', swarms, '--group', 'nightly']).status).toBe(0)
    const out = join(dir, 'nightly.ndjson')
    const exported = runCli(['--db', db1, 'export', 'group:nightly', '-o', out, '--json'])
    expect(exported.stderr).toBe('')
    expect(JSON.parse(exported.stdout)).toMatchObject({ format: 'ndjson', runIds: ['s1', 's2'], file: out })
    expect(runCli(['--db', db2, 'import', out]).status).toBe(0)
    const list = (db: string) => (JSON.parse(runCli(['--db', db, 'runs', '--json']).stdout) as Record<string, unknown>[]).map(({ format: _f, group: _g, ...r }) => r)
    expect(list(db2)).toEqual(list(db1))
    const bad = runCli(['--db', db1, 'export', 'latest', '--format', 'xml'])
    expect(bad.status).toBe(2)
    expect(bad.stderr.trim()).toBe('swarmscope: --format expects ndjson, otlp or csv, got "xml"')
  })

  it('OTLP/JSON carries every timed span with GenAI usage: it re-imports with the same LLM and tool calls and tokens', async () => {
    const { core } = await loaded()
    const ids = ['swarm-a', 'swarm-b']
    const exported = await get(core, 'export.runs', { runs: ids, format: 'otlp' })
    const req = JSON.parse(exported.content)
    expect(req.resourceSpans).toHaveLength(2)
    for (const rs of req.resourceSpans) {
      for (const s of rs.scopeSpans[0].spans) {
        expect(s.traceId).toMatch(/^[0-9a-f]{32}$/)
        expect(s.spanId).toMatch(/^[0-9a-f]{16}$/)
        expect(BigInt(s.endTimeUnixNano) >= BigInt(s.startTimeUnixNano)).toBe(true)
      }
    }
    const file = join(tempDir(), exported.filename)
    writeFileSync(file, exported.content)
    const copy = open()
    const again = await get(copy, 'import.paths', { paths: [file] })
    expect(again.skipped).toEqual([])
    for (const id of ids) {
      const a = await get(core, 'runs.get', { id })
      const b = await get(copy, 'runs.get', { id: `otlp-session-${id}` })
      expect(b).toMatchObject({ llmCalls: a.llmCalls, toolCalls: a.toolCalls, inputTokens: a.inputTokens, outputTokens: a.outputTokens, cacheReadTokens: a.cacheReadTokens, cacheCreationTokens: a.cacheCreationTokens, durationMs: a.durationMs, spans: a.spans })
      // Our cost travels as gen_ai.usage.cost, which a reader keeps as the reported cost.
      expect(b.reportedCostUsd).toBeCloseTo(a.costUsd, 10)
    }
  })

  it('CSV: one RFC 4180 row per span whose costs add up to the run cost, or one row per run', async () => {
    const { core } = await loaded()
    const csv = await get(core, 'export.run', { id: 'swarm-a', format: 'csv' })
    expect(csv.contentType).toMatch(/^text\/csv/)
    const rows = csv.content.split('\r\n').filter(Boolean).map((l) => l.split(','))
    const header = rows[0]
    expect(header.slice(0, 6)).toEqual(['run_id', 'span_id', 'parent_id', 'agent_id', 'kind', 'name'])
    const run = await get(core, 'runs.get', { id: 'swarm-a' })
    expect(rows.length - 1).toBe(run.spans)
    const cost = rows.slice(1).filter((r) => r[header.indexOf('kind')] === 'llm').reduce((n, r) => n + Number(r[header.indexOf('cost_usd')] || 0), 0)
    expect(cost).toBeCloseTo(run.costUsd, 10)
    expect(rows.slice(1).filter((r) => r[header.indexOf('status')] === 'error')).toHaveLength(run.errors)

    const runsCsv = await get(core, 'export.runs', { runs: ['swarm-a', 'swarm-b'], format: 'csv', csvTable: 'runs' })
    const lines = runsCsv.content.trim().split('\r\n')
    expect(lines).toHaveLength(3)
    expect(lines[1].startsWith('swarm-a,"swarm swarm-a"') || lines[1].startsWith('swarm-a,swarm swarm-a')).toBe(true)
  })

  it('quotes CSV cells with commas, quotes and line breaks, and defuses formulas', async () => {
    const core = open()
    const dir = tempDir()
    const file = join(dir, 'odd.ndjson')
    writeFileSync(file, [
      { v: 1, type: 'run', id: 'odd', name: 'odd' },
      { type: 'span', id: 's1', kind: 'tool', name: '=HYPERLINK("x")', start: 1, end: 2, status: 'error', error: 'line one\nline "two", three' },
    ].map((l) => JSON.stringify(l)).join('\n') + '\n')
    await get(core, 'import.paths', { paths: [file] })
    const csv = (await get(core, 'export.run', { id: 'odd', format: 'csv' })).content
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`)
    expect(csv).toContain('"line one\nline ""two"", three"')
    expect(readFileSync(file, 'utf8')).toContain('HYPERLINK')
  })
})
