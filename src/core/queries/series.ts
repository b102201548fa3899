import type { Database } from 'better-sqlite3'
import type { Series, SeriesMetric } from '../../shared/spans-dto'
import { getRun } from './runs'

// Per-pixel downsampling (M4): for each bucket of one pixel, the first, last, smallest and
// largest value, plus sum and count. Drawn in that order, a line through these points is the
// same picture as the line through every point, at a few thousand points instead of a million.
// Aggregation runs in SQLite (C), not in JavaScript over every row.

const VALUE: Record<SeriesMetric, { expr: string; kinds: string; unit: Series['unit'] }> = {
  tokens: { expr: 'COALESCE(input_tokens,0) + COALESCE(output_tokens,0) + COALESCE(cache_creation_tokens,0) + COALESCE(cache_read_tokens,0)', kinds: `kind = 'llm'`, unit: 'tokens' },
  inputTokens: { expr: 'COALESCE(input_tokens, 0)', kinds: `kind = 'llm'`, unit: 'tokens' },
  outputTokens: { expr: 'COALESCE(output_tokens, 0)', kinds: `kind = 'llm'`, unit: 'tokens' },
  cacheReadTokens: { expr: 'COALESCE(cache_read_tokens, 0)', kinds: `kind = 'llm'`, unit: 'tokens' },
  cacheCreationTokens: { expr: 'COALESCE(cache_creation_tokens, 0)', kinds: `kind = 'llm'`, unit: 'tokens' },
  cost: { expr: 'COALESCE(cost_usd, 0)', kinds: `kind = 'llm'`, unit: 'usd' },
  latency: { expr: 'end_ms - start_ms', kinds: `kind = 'llm' AND end_ms IS NOT NULL`, unit: 'ms' },
  toolLatency: { expr: 'end_ms - start_ms', kinds: `kind = 'tool' AND end_ms IS NOT NULL`, unit: 'ms' },
  errors: { expr: `status = 'error'`, kinds: `kind IN ('llm', 'tool', 'task', 'other')`, unit: 'count' },
  calls: { expr: '1', kinds: `kind IN ('llm', 'tool')`, unit: 'count' },
}

export interface SeriesOptions {
  metric: SeriesMetric
  fromMs?: number
  toMs?: number
  width: number
}

export function runSeries(db: Database, ref: string, o: SeriesOptions): Series {
  const run = getRun(db, ref)
  const fromMs = o.fromMs ?? (run.startedAt ? Date.parse(run.startedAt) : 0)
  const toMs = Math.max(o.toMs ?? (run.endedAt ? Date.parse(run.endedAt) : fromMs), fromMs + 1)
  const bucketMs = Math.max(1, (toMs - fromMs) / o.width)
  const v = VALUE[o.metric]
  // A point is placed where the call ended: that is when its tokens and cost were spent.
  const base = `SELECT CAST((COALESCE(end_ms, start_ms) - @from) / @bucket AS INTEGER) AS b, COALESCE(end_ms, start_ms) AS ts, ${v.expr} AS v
    FROM spans WHERE run_id = @id AND ${v.kinds} AND COALESCE(end_ms, start_ms) BETWEEN @from AND @to`
  const params = { id: run.id, from: fromMs, to: toMs, bucket: bucketMs }
  const agg = db.prepare(`SELECT b, COUNT(*), SUM(v), MIN(v), MAX(v) FROM (${base}) GROUP BY b ORDER BY b`).raw().all(params) as number[][]
  // SQLite takes a bare column from the row that holds the MIN()/MAX(): the first and last value.
  const first = new Map((db.prepare(`SELECT b, v, MIN(ts) FROM (${base}) GROUP BY b`).raw().all(params) as number[][]).map((r) => [r[0], r[1]]))
  const last = new Map((db.prepare(`SELECT b, v, MAX(ts) FROM (${base}) GROUP BY b`).raw().all(params) as number[][]).map((r) => [r[0], r[1]]))
  const out: Series = { metric: o.metric, unit: v.unit, fromMs, toMs, bucketMs, points: 0, t: [], first: [], last: [], min: [], max: [], sum: [], count: [] }
  for (const [b, n, s, lo, hi] of agg) {
    out.t.push(fromMs + b * bucketMs)
    out.count.push(n)
    out.sum.push(s)
    out.min.push(lo)
    out.max.push(hi)
    out.first.push(first.get(b) ?? lo)
    out.last.push(last.get(b) ?? hi)
    out.points += n
  }
  return out
}
