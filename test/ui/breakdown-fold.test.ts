import type { Database } from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { mulberry32 } from '../../src/core/analysis/stats/random'
import { binaryCompare, foldRun } from '../../src/core/queries/breakdown-fold'
import { openStore } from '../../src/core/store/open'
import { refreshRunStats } from '../../src/core/store/run-stats'
import { tempDb } from '../helpers/temp'

// The dashboard's breakdown reads a run's spans in one pass (breakdown-fold.ts) where it used to
// run five SQL queries. The numbers must not move by a bit: here the fold is checked against those
// queries, kept as the reference, on a run with the awkward cases (spans without an agent, times
// or tokens, an agent missing from the agents table, delegating tool calls, fractional costs and
// times, names that sort differently in UTF-8 and UTF-16).

const NAMES = ['Read', 'Bash', 'read', 'Ωmega', '\u{1F600}tool', '\uFF21wide', 'Task']
const MODELS = ['claude-sonnet-4-5', 'claude-haiku-4-5', null]
const AGENTS = ['main', 'sub1', 'sub2', 'ghost', null]

function writeRun(db: Database, id: string, spans: number, seed: number): void {
  const rnd = mulberry32(seed)
  const pick = <T,>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]
  const t0 = 1_760_000_000_000
  db.prepare(`INSERT INTO runs (id, source, format, name, created_at, updated_at) VALUES (?, 'ndjson', 'test', ?, ?, ?)`).run(id, id, t0, t0)
  // 'ghost' has spans but no row in agents; sub1 and sub2 were started by tool calls of main.
  const agent = db.prepare('INSERT INTO agents (run_id, id, name, parent_agent_id, parent_span_id) VALUES (?, ?, ?, ?, ?)')
  agent.run(id, 'main', 'Main', null, null)
  agent.run(id, 'sub1', 'Sub 1', 'main', 's3')
  agent.run(id, 'sub2', 'Sub 2', 'main', 's5')
  agent.run(id, 'idle', 'Idle', 'main', null)
  const ins = db.prepare(`INSERT INTO spans (run_id, id, agent_id, kind, name, start_ms, end_ms, status, model,
    input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, cost_usd) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
  for (let i = 0; i < spans; i++) {
    const kind = pick(['llm', 'llm', 'tool', 'tool', 'agent', 'task', 'other'])
    const start = rnd() < 0.03 ? null : t0 + Math.floor(rnd() * 3_600_000) + (rnd() < 0.05 ? 0.25 : 0)
    const end = start === null ? (rnd() < 0.5 ? t0 + 10 : null) : rnd() < 0.05 ? null : start + Math.floor(rnd() * 400_000)
    const tokens = kind === 'llm' && rnd() < 0.9
    const n = () => (tokens && rnd() < 0.95 ? Math.floor(rnd() * 50_000) : null)
    ins.run(id, `s${i}`, pick(AGENTS), kind, pick(NAMES), start, end, rnd() < 0.1 ? 'error' : 'ok', kind === 'llm' ? pick(MODELS) : null,
      n(), n(), n(), n(), rnd() < 0.1 ? null : rnd() * 0.37 + (rnd() < 0.01 ? 1e6 : 0))
  }
  refreshRunStats(db, id)
}

// The queries the breakdown ran before, as they were.
const DELEGATION = `s.id IN (SELECT parent_span_id FROM agents d WHERE d.run_id = @id AND parent_span_id IS NOT NULL)`
const reference = {
  groups: `SELECT agent_id AS agentId, kind, CASE WHEN kind = 'llm' THEN COALESCE(model, name) ELSE name END AS key,
      ${DELEGATION} AS delegation, COUNT(*) AS n, SUM(status = 'error') AS errors,
      COALESCE(SUM(input_tokens), 0) AS input, COALESCE(SUM(output_tokens), 0) AS output,
      COALESCE(SUM(cache_creation_tokens), 0) AS cacheCreation, COALESCE(SUM(cache_read_tokens), 0) AS cacheRead,
      COALESCE(SUM(cost_usd), 0) AS cost, COALESCE(SUM(end_ms - start_ms), 0) AS ms, MAX(end_ms - start_ms) AS maxMs,
      COUNT(end_ms - start_ms) AS timed
    FROM spans s WHERE run_id = @id AND kind <> 'agent' GROUP BY 1, 2, 3, 4`,
  lifetimes: `SELECT agent_id, MIN(start_ms) AS startMs, MAX(COALESCE(end_ms, start_ms)) AS endMs FROM spans WHERE run_id = @id AND agent_id IS NOT NULL GROUP BY agent_id`,
  calls: `SELECT end_ms - start_ms, COALESCE(input_tokens,0) + COALESCE(output_tokens,0) + COALESCE(cache_creation_tokens,0) + COALESCE(cache_read_tokens,0), input_tokens IS NOT NULL
    FROM spans WHERE run_id = @id AND kind = 'llm' AND end_ms IS NOT NULL AND start_ms IS NOT NULL`,
}

function referenceBusy(db: Database, id: string, rows: Map<string, number>, startMs: number, bucketMs: number, buckets: number): Float64Array {
  const busy = new Float64Array(rows.size * buckets)
  const busySql = `FROM spans s WHERE run_id = @id AND agent_id IS NOT NULL AND start_ms IS NOT NULL AND end_ms > start_ms
    AND (kind = 'llm' OR (kind = 'tool' AND NOT ${DELEGATION}))`
  const bucketOf = (col: string) => `CAST((${col} - @start) / @bucketMs AS INTEGER)`
  const params = { id, start: startMs, bucketMs }
  const inside = db.prepare(`SELECT agent_id, ${bucketOf('start_ms')} AS b, SUM(end_ms - start_ms) ${busySql} AND ${bucketOf('start_ms')} = ${bucketOf('end_ms - 1')} GROUP BY 1, 2`).raw().all(params) as [string, number, number][]
  for (const [agent, b, ms] of inside) {
    const a = rows.get(agent)
    if (a !== undefined && b >= 0 && b < buckets) busy[a * buckets + b] += ms
  }
  const crossing = db.prepare(`SELECT agent_id, start_ms, end_ms ${busySql} AND ${bucketOf('start_ms')} <> ${bucketOf('end_ms - 1')}`).raw().all(params) as [string, number, number][]
  for (const [agent, s, e] of crossing) {
    const a = rows.get(agent)
    if (a === undefined) continue
    for (let b = Math.max(0, Math.floor((s - startMs) / bucketMs)); b < buckets && startMs + b * bucketMs < e; b++) {
      const lo = Math.max(s, startMs + b * bucketMs)
      const hi = Math.min(e, startMs + (b + 1) * bucketMs)
      if (hi > lo) busy[a * buckets + b] += hi - lo
    }
  }
  return busy
}

describe('the breakdown fold', () => {
  it('gives the numbers of the GROUP BY queries it replaced, bit for bit and in their order', () => {
    const store = openStore({ path: tempDb() })
    for (const [id, seed] of [['r1', 1], ['r2', 2], ['r3', 3]] as const) writeRun(store.write, id, 4000, seed)
    const db = store.read
    for (const id of ['r1', 'r2', 'r3']) {
      const rows = new Map(['main', 'sub1', 'sub2', 'idle'].map((a, i) => [a, i]))
      const startMs = 1_760_000_000_000
      for (const [bucketMs, buckets] of [[75_000, 48], [1, 7], [33_333.5, 13]]) {
        const fold = foldRun(db, id, { startMs, bucketMs, buckets, rows })
        expect(fold.groups).toEqual(db.prepare(reference.groups).all({ id }))
        const lifetimes = db.prepare(reference.lifetimes).raw().all({ id }) as [string, number | null, number | null][]
        expect(fold.lifetimes).toEqual(new Map(lifetimes.map(([a, startMs, endMs]) => [a, { startMs, endMs }])))
        const calls = db.prepare(reference.calls).raw().all({ id }) as [number, number, number][]
        expect(fold.calls.latency).toEqual(calls.map((c) => c[0]))
        expect(fold.calls.withTokens).toEqual(calls.filter((c) => c[2] === 1).map((c) => [c[0], c[1]]))
        expect(fold.busy).toEqual(referenceBusy(db, id, rows, startMs, bucketMs, buckets))
      }
    }
    store.close()
  })

  it('orders text as SQLite does (UTF-8 bytes), not as JavaScript does (UTF-16 units)', () => {
    expect(binaryCompare('\u{1F600}', '\uFF21')).toBeGreaterThan(0)
    expect('\u{1F600}' < '\uFF21').toBe(true)
    expect(binaryCompare('Read', 'read')).toBeLessThan(0)
    expect(binaryCompare('ab', 'abc')).toBeLessThan(0)
    expect(binaryCompare('abc', 'abc')).toBe(0)
  })
})
