import type { Database } from 'better-sqlite3'
import type { Breakdown } from '../../shared/spans-dto'
import { histogram, mean, quantileSorted, sorted } from '../analysis/stats'
import { getRun } from './runs'
import { timelineAgents } from './spans'

// The run dashboard's aggregates. Each is one SQL pass or one pass over a few columns, so the
// dashboard of a 100 k-span run draws in well under a second; the full analysis (insights,
// anomalies, critical path) arrives separately and is laid over the charts when it is ready.

export interface BreakdownOptions {
  buckets?: number
  maxPoints?: number
}

/** Tool calls that started a subagent: their time is the subagent's work, not busy time of the caller. */
const DELEGATION = `s.id IN (SELECT parent_span_id FROM agents d WHERE d.run_id = @id AND parent_span_id IS NOT NULL)`
const NOT_DELEGATION = `NOT ${DELEGATION}`

interface Group {
  agentId: string | null
  kind: string
  key: string
  delegation: number
  n: number
  errors: number
  input: number
  output: number
  cacheCreation: number
  cacheRead: number
  cost: number
  ms: number
  maxMs: number | null
  /** Spans with both times (the mean's denominator). */
  timed: number
}

export function runBreakdown(db: Database, ref: string, o: BreakdownOptions = {}): Breakdown {
  const run = getRun(db, ref)
  const id = run.id
  const agents = timelineAgents(db, id)
  const names = new Map(agents.map((a) => [a.id, a.name]))

  // One scan, grouped finely enough that agents, tools, models and the cache all fold out of it in JS.
  const groups = db
    .prepare(
      `SELECT agent_id AS agentId, kind, CASE WHEN kind = 'llm' THEN COALESCE(model, name) ELSE name END AS key,
         ${DELEGATION} AS delegation, COUNT(*) AS n, SUM(status = 'error') AS errors,
         COALESCE(SUM(input_tokens), 0) AS input, COALESCE(SUM(output_tokens), 0) AS output,
         COALESCE(SUM(cache_creation_tokens), 0) AS cacheCreation, COALESCE(SUM(cache_read_tokens), 0) AS cacheRead,
         COALESCE(SUM(cost_usd), 0) AS cost, COALESCE(SUM(end_ms - start_ms), 0) AS ms, MAX(end_ms - start_ms) AS maxMs,
         COUNT(end_ms - start_ms) AS timed
       FROM spans s WHERE run_id = @id AND kind <> 'agent' GROUP BY 1, 2, 3, 4`,
    )
    .all({ id }) as Group[]

  const agentRows = new Map<string, Breakdown['byAgent'][number]>()
  const toolRows = new Map<string, Breakdown['byTool'][number] & { timed: number }>()
  const modelRows = new Map<string, Breakdown['byModel'][number]>()
  let promptTokens = 0
  let cacheReadTokens = 0
  for (const g of groups) {
    const tokens = g.input + g.output + g.cacheCreation + g.cacheRead
    if (g.agentId !== null) {
      const a = agentRows.get(g.agentId) ?? { agentId: g.agentId, name: names.get(g.agentId) ?? g.agentId, llmCalls: 0, toolCalls: 0, errors: 0, inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0, costUsd: 0, busyMs: 0 }
      agentRows.set(g.agentId, a)
      a.errors += g.errors
      if (g.kind === 'llm') {
        a.llmCalls += g.n
        a.inputTokens += g.input
        a.outputTokens += g.output
        a.cacheCreationTokens += g.cacheCreation
        a.cacheReadTokens += g.cacheRead
        a.costUsd += g.cost
        a.busyMs += g.ms
      }
      if (g.kind === 'tool') {
        a.toolCalls += g.n
        if (!g.delegation) a.busyMs += g.ms
      }
    }
    if (g.kind === 'tool') {
      const t = toolRows.get(g.key) ?? { tool: g.key, count: 0, errors: 0, totalMs: 0, meanMs: null, maxMs: null, timed: 0 }
      toolRows.set(g.key, t)
      t.count += g.n
      t.errors += g.errors
      t.totalMs += g.ms
      t.timed += g.timed
      t.maxMs = g.maxMs === null ? t.maxMs : Math.max(t.maxMs ?? 0, g.maxMs)
    }
    if (g.kind === 'llm') {
      const m = modelRows.get(g.key) ?? { model: g.key, llmCalls: 0, tokens: 0, costUsd: 0 }
      modelRows.set(g.key, m)
      m.llmCalls += g.n
      m.tokens += tokens
      m.costUsd += g.cost
      promptTokens += g.input + g.cacheCreation + g.cacheRead
      cacheReadTokens += g.cacheRead
    }
  }
  const byAgent = [...agentRows.values()].sort((a, b) => b.costUsd - a.costUsd || b.busyMs - a.busyMs || (a.agentId < b.agentId ? -1 : 1))
  const byTool = [...toolRows.values()]
    .map(({ timed, ...t }) => ({ ...t, meanMs: timed > 0 ? t.totalMs / timed : null }))
    .sort((a, b) => b.count - a.count || (a.tool < b.tool ? -1 : 1))
  const byModel = [...modelRows.values()].sort((a, b) => b.costUsd - a.costUsd || (a.model < b.model ? -1 : 1))

  // Latency and tokens of every LLM call: two number columns, cheap to read even for 100 k calls.
  const calls = db
    .prepare(`SELECT end_ms - start_ms, ${TOKENS}, input_tokens IS NOT NULL FROM spans WHERE run_id = @id AND kind = 'llm' AND end_ms IS NOT NULL AND start_ms IS NOT NULL`)
    .raw()
    .all({ id }) as [number, number, number][]
  const latencies = sorted(calls.map((c) => c[0]))
  const h = histogram(latencies, 60)
  const q = (p: number) => quantileSorted(latencies, p)
  const llmLatency = { count: latencies.length, mean: mean(latencies), p50: q(0.5), p90: q(0.9), p95: q(0.95), p99: q(0.99), edges: h?.edges ?? [], counts: h?.counts ?? [] }

  return {
    runId: id, byAgent, byTool, byModel, llmLatency,
    scatter: scatter(db, id, calls.filter((c) => c[2] === 1), o.maxPoints ?? 5000),
    activity: activity(db, id, agents, run.startedAt ? Date.parse(run.startedAt) : 0, run.durationMs ?? 0, o.buckets ?? 48),
    cache: { promptTokens, cacheReadTokens, hitRatio: promptTokens > 0 ? cacheReadTokens / promptTokens : null },
  }
}

const TOKENS = `COALESCE(input_tokens,0) + COALESCE(output_tokens,0) + COALESCE(cache_creation_tokens,0) + COALESCE(cache_read_tokens,0)`

function scatter(db: Database, id: string, calls: [number, number, number][], maxPoints: number): Breakdown['scatter'] {
  if (calls.length <= maxPoints) {
    const rows = db
      .prepare(`SELECT end_ms - start_ms, ${TOKENS}, id FROM spans WHERE run_id = @id AND kind = 'llm' AND end_ms IS NOT NULL AND start_ms IS NOT NULL AND input_tokens IS NOT NULL ORDER BY start_ms`)
      .raw()
      .all({ id }) as [number, number, string][]
    return { latencyMs: rows.map((r) => r[0]), tokens: rows.map((r) => r[1]), count: rows.map(() => 1), spanId: rows.map((r) => r[2]), merged: false }
  }
  // Too many calls to draw one by one: merged per cell of a 160 × 100 grid, at the cell's mean position.
  let maxMs = 1
  let maxTokens = 1
  for (const [ms, t] of calls) {
    maxMs = Math.max(maxMs, ms)
    maxTokens = Math.max(maxTokens, t)
  }
  const cells = new Map<number, [number, number, number]>()
  for (const [ms, t] of calls) {
    const k = Math.min(159, Math.floor((ms / maxMs) * 160)) * 100 + Math.min(99, Math.floor((t / maxTokens) * 100))
    const c = cells.get(k)
    if (c) {
      c[0] += ms
      c[1] += t
      c[2]++
    } else cells.set(k, [ms, t, 1])
  }
  const merged = [...cells.values()]
  return { latencyMs: merged.map((c) => c[0] / c[2]), tokens: merged.map((c) => c[1] / c[2]), count: merged.map((c) => c[2]), spanId: merged.map(() => null), merged: true }
}

function activity(db: Database, id: string, agents: { id: string; name: string }[], startMs: number, wallMs: number, buckets: number): Breakdown['activity'] {
  const agentIds = agents.map((a) => a.id)
  const bucketMs = Math.max(1, Math.ceil(wallMs / buckets))
  const index = new Map(agentIds.map((a, i) => [a, i]))
  const busy = new Float64Array(agentIds.length * buckets)
  const busySql = `FROM spans s WHERE run_id = @id AND agent_id IS NOT NULL AND start_ms IS NOT NULL AND end_ms > start_ms
    AND (kind = 'llm' OR (kind = 'tool' AND ${NOT_DELEGATION}))`
  const bucketOf = (col: string) => `CAST((${col} - @start) / @bucketMs AS INTEGER)`
  const params = { id, start: startMs, bucketMs }
  // Most spans fall inside one bucket: summed in SQL, without a row per span reaching JavaScript.
  const inside = db
    .prepare(`SELECT agent_id, ${bucketOf('start_ms')} AS b, SUM(end_ms - start_ms) ${busySql} AND ${bucketOf('start_ms')} = ${bucketOf('end_ms - 1')} GROUP BY 1, 2`)
    .raw()
    .all(params) as [string, number, number][]
  for (const [agent, b, ms] of inside) {
    const a = index.get(agent)
    if (a !== undefined && b >= 0 && b < buckets) busy[a * buckets + b] += ms
  }
  // The few that cross a bucket edge are split over the buckets they overlap.
  const crossing = db
    .prepare(`SELECT agent_id, start_ms, end_ms ${busySql} AND ${bucketOf('start_ms')} <> ${bucketOf('end_ms - 1')}`)
    .raw()
    .all(params) as [string, number, number][]
  for (const [agent, s, e] of crossing) {
    const a = index.get(agent)
    if (a === undefined) continue
    for (let b = Math.max(0, Math.floor((s - startMs) / bucketMs)); b < buckets && startMs + b * bucketMs < e; b++) {
      const lo = Math.max(s, startMs + b * bucketMs)
      const hi = Math.min(e, startMs + (b + 1) * bucketMs)
      if (hi > lo) busy[a * buckets + b] += hi - lo
    }
  }
  const cells: [number, number, number][] = []
  for (let a = 0; a < agentIds.length; a++) for (let b = 0; b < buckets; b++) if (busy[a * buckets + b] > 0) cells.push([b, a, Math.round(busy[a * buckets + b])])
  return { startMs, bucketMs, buckets, agents: agentIds, names: agents.map((a) => a.name), cells }
}
