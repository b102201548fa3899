import type { Database } from 'better-sqlite3'
import type { Breakdown } from '../../shared/spans-dto'
import { histogram, mean, quantileSorted, sorted } from '../analysis/stats'
import { foldRun, type RunFold } from './breakdown-fold'
import { getRun } from './runs'
import { timelineAgents } from './spans'

// The run dashboard's aggregates, from one pass over the run's spans (breakdown-fold.ts), so the
// dashboard of a 100 k-span run draws in well under a second even on its first visit; the full
// analysis (insights, anomalies, critical path) arrives separately and is laid over the charts
// when it is ready.

export interface BreakdownOptions {
  buckets?: number
  maxPoints?: number
}

export function runBreakdown(db: Database, ref: string, o: BreakdownOptions = {}): Breakdown {
  const run = getRun(db, ref)
  const id = run.id
  // The heatmap's grid is known before the pass (the run's times are in its summary row); its rows
  // are put in timeline order after it, once the agents' lifetimes are known.
  const startMs = run.startedAt ? Date.parse(run.startedAt) : 0
  const buckets = o.buckets ?? 48
  const bucketMs = Math.max(1, Math.ceil((run.durationMs ?? 0) / buckets))
  const stored = db.prepare('SELECT id FROM agents WHERE run_id = ?').pluck().all(id) as string[]
  const fold = foldRun(db, id, { startMs, bucketMs, buckets, rows: new Map(stored.map((a, i) => [a, i])) })
  const agents = timelineAgents(db, id, fold.lifetimes)
  const names = new Map(agents.map((a) => [a.id, a.name]))
  const groups = fold.groups

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

  const latencies = sorted(fold.calls.latency)
  const h = histogram(latencies, 60)
  const q = (p: number) => quantileSorted(latencies, p)
  const llmLatency = { count: latencies.length, mean: mean(latencies), p50: q(0.5), p90: q(0.9), p95: q(0.95), p99: q(0.99), edges: h?.edges ?? [], counts: h?.counts ?? [] }

  return {
    runId: id, byAgent, byTool, byModel, llmLatency,
    scatter: scatter(db, id, fold.calls.withTokens, o.maxPoints ?? 5000),
    activity: activity(agents, stored, fold.busy, startMs, bucketMs, buckets),
    cache: { promptTokens, cacheReadTokens, hitRatio: promptTokens > 0 ? cacheReadTokens / promptTokens : null },
  }
}

const TOKENS = `COALESCE(input_tokens,0) + COALESCE(output_tokens,0) + COALESCE(cache_creation_tokens,0) + COALESCE(cache_read_tokens,0)`

function scatter(db: Database, id: string, calls: [number, number][], maxPoints: number): Breakdown['scatter'] {
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

/** Busy ms per agent and bucket, the agents in timeline order (the fold's rows are in stored order). */
function activity(agents: { id: string; name: string }[], stored: string[], busy: RunFold['busy'], startMs: number, bucketMs: number, buckets: number): Breakdown['activity'] {
  const row = new Map(stored.map((a, i) => [a, i]))
  const cells: [number, number, number][] = []
  agents.forEach((agent, a) => {
    const r = row.get(agent.id)!
    for (let b = 0; b < buckets; b++) if (busy[r * buckets + b] > 0) cells.push([b, a, Math.round(busy[r * buckets + b])])
  })
  return { startMs, bucketMs, buckets, agents: agents.map((a) => a.id), names: agents.map((a) => a.name), cells }
}
