import type { Database } from 'better-sqlite3'
import type { MetricSeries, SpanItem, SpansPage } from '../../shared/integrations-dto'
import { resolveRunId } from './runs'

export interface SpansPageOptions {
  offset: number
  limit: number
  kind?: string
  agentId?: string
  status?: string
  sort: 'start' | 'duration' | 'cost'
}

// Sorted in the store with a tiebreak on id, so pages never overlap or skip a span.
const ORDER = {
  start: 'start_ms IS NULL, start_ms, id',
  duration: '(end_ms - start_ms) IS NULL, (end_ms - start_ms) DESC, id',
  cost: 'cost_usd IS NULL, cost_usd DESC, id',
} as const

export function spansPage(db: Database, ref: string, o: SpansPageOptions): SpansPage {
  const runId = resolveRunId(db, ref)
  const where = `run_id = @runId AND (@kind IS NULL OR kind = @kind) AND (@agentId IS NULL OR agent_id = @agentId) AND (@status IS NULL OR status = @status)`
  const params = { runId, kind: o.kind ?? null, agentId: o.agentId ?? null, status: o.status ?? null }
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM spans WHERE ${where}`).get(params) as { n: number }).n
  const spans = db
    .prepare(
      `SELECT id, parent_id AS parentId, agent_id AS agentId, kind, name, start_ms AS startMs, end_ms AS endMs,
         CASE WHEN start_ms IS NOT NULL AND end_ms IS NOT NULL THEN end_ms - start_ms END AS durationMs,
         status, error, model, input_tokens AS inputTokens, output_tokens AS outputTokens,
         cache_creation_tokens AS cacheCreationTokens, cache_read_tokens AS cacheReadTokens, cost_usd AS costUsd
       FROM spans WHERE ${where} ORDER BY ${ORDER[o.sort]} LIMIT @limit OFFSET @offset`,
    )
    .all({ ...params, limit: o.limit, offset: o.offset }) as SpanItem[]
  const next = o.offset + spans.length
  return { runId, total, offset: o.offset, limit: o.limit, spans, nextOffset: next < total ? next : null }
}

interface SampleBucket {
  name: string
  unit: string | null
  labels: string
  reported: number
  t: number
  value: number
  min: number
  max: number
  count: number
}

/**
 * Metric samples of a run between `from` and `to`, bucketed in SQL so that each series has at
 * most `maxPoints` points however many samples were stored.
 */
export function metricSeries(db: Database, ref: string, o: { from?: number; to?: number; maxPoints: number; name?: string }): MetricSeries {
  const runId = resolveRunId(db, ref)
  const span = db
    .prepare(`SELECT MIN(ts) AS lo, MAX(ts) AS hi FROM metric_samples WHERE run_id = ? AND (? IS NULL OR name = ?)`)
    .get(runId, o.name ?? null, o.name ?? null) as { lo: number | null; hi: number | null }
  const from = o.from ?? span.lo
  const to = o.to ?? span.hi
  if (from === null || to === null || to < from) return { runId, from, to, bucketMs: 1, series: [] }
  const bucketMs = Math.max(1, Math.ceil((to - from + 1) / o.maxPoints))
  const rows = db
    .prepare(
      `SELECT name, MAX(unit) AS unit, labels, MAX(reported) AS reported, @from + ((ts - @from) / @bucket) * @bucket AS t,
         AVG(value) AS value, MIN(value) AS min, MAX(value) AS max, COUNT(*) AS count
       FROM metric_samples WHERE run_id = @runId AND ts BETWEEN @from AND @to AND (@name IS NULL OR name = @name)
       GROUP BY name, labels, t ORDER BY name, labels, t`,
    )
    .all({ runId, from, to, bucket: bucketMs, name: o.name ?? null }) as SampleBucket[]
  const series = new Map<string, MetricSeries['series'][number]>()
  for (const r of rows) {
    const key = `${r.name}\u0000${r.labels}`
    let s = series.get(key)
    if (!s) series.set(key, (s = { name: r.name, unit: r.unit, labels: JSON.parse(r.labels) as Record<string, string>, reported: r.reported === 1, points: [] }))
    s.points.push({ t: r.t, value: r.value, min: r.min, max: r.max, count: r.count })
  }
  return { runId, from, to, bucketMs, series: [...series.values()] }
}
