import type { Database } from 'better-sqlite3'
import type { Series, SeriesMetric } from '../../shared/spans-dto'
import { getRun } from './runs'

// Per-pixel downsampling (M4): for each bucket of one pixel, the first, last, smallest and
// largest value, plus sum and count. Drawn in that order, a line through these points is the
// same picture as the line through every point, at a few thousand points instead of a million.
//
// One pass over the run's rows, folded as SQLite reads them: an aggregate function registered on
// the connection hands each (time, value) straight to the fold, so no row becomes an object and
// no JSON is built or parsed (that round trip was most of a 1 M-point query). Aggregating in SQL
// needed three passes (first and last value each need their own GROUP BY) plus a sort per pass.

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

/**
 * better-sqlite3 binds every JS number as a REAL: times minus a REAL are REALs, which SQLite
 * writes into JSON as "156.0" (slower to write and parse). A whole number goes in as an integer.
 */
const sqlInt = (x: number): number | bigint => (Number.isSafeInteger(x) ? BigInt(x) : x)

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
  const m = m4Fold(bucketMs, Math.floor((toMs - fromMs) / bucketMs) + 1)
  folding = m
  try {
    db.prepare(
      `SELECT ${registerFold(db)}(COALESCE(end_ms, start_ms) - @from, ${v.expr}) FROM spans
       WHERE run_id = @id AND ${v.kinds} AND COALESCE(end_ms, start_ms) BETWEEN @from AND @to`,
    )
      .raw()
      .get({ id: run.id, from: sqlInt(fromMs), to: sqlInt(toMs) })
  } finally {
    folding = null
  }
  const out: Series = { metric: o.metric, unit: v.unit, fromMs, toMs, bucketMs, points: m.points(), t: [], first: [], last: [], min: [], max: [], sum: [], count: [] }
  for (let b = 0; b < m.count.length; b++) {
    if (m.count[b] === 0) continue
    // Calls without a value (an end but no start) are counted, as COUNT(*) did, but carry no value.
    const valued = m.valued[b] > 0
    out.t.push(fromMs + b * bucketMs)
    out.count.push(m.count[b])
    out.sum.push(m.sum[b] + m.comp[b])
    out.min.push(valued ? m.min[b] : 0)
    out.max.push(valued ? m.max[b] : 0)
    out.first.push(m.first[b] ?? out.min[out.min.length - 1])
    out.last.push(m.last[b] ?? out.max[out.max.length - 1])
  }
  return out
}

// The fold the running query feeds. Queries run synchronously, one at a time per thread.
let folding: M4Fold | null = null
const registered = new WeakSet<Database>()

/** Registers the fold's aggregate on this connection once; returns its name. */
function registerFold(db: Database): string {
  if (!registered.has(db)) {
    // Two arguments a row (better-sqlite3 counts the step's parameters); its types know of one.
    const step = (_acc: null, t: number, x: number | null): undefined => folding!.add(t, x)
    db.aggregate('swarmscope_m4', { start: null, step: step as unknown as (acc: null, t: null) => undefined, result: () => null })
    registered.add(db)
  }
  return 'swarmscope_m4'
}

type M4Fold = ReturnType<typeof m4Fold>

/**
 * Folds (time since the window's start, value) pairs, in the order given, into `buckets` buckets
 * of `bucketMs`. First and last are the values at the earliest and latest time (the first met on
 * a tie, as SQLite's bare columns did); sums are compensated (Neumaier), as SQLite's SUM of reals is.
 */
export function m4Fold(bucketMs: number, buckets: number) {
  const count = new Float64Array(buckets)
  const valued = new Float64Array(buckets)
  const sum = new Float64Array(buckets)
  const comp = new Float64Array(buckets)
  const min = new Float64Array(buckets).fill(Infinity)
  const max = new Float64Array(buckets).fill(-Infinity)
  const firstT = new Float64Array(buckets).fill(Infinity)
  const lastT = new Float64Array(buckets).fill(-Infinity)
  const first: (number | null)[] = new Array<number | null>(buckets).fill(null)
  const last: (number | null)[] = new Array<number | null>(buckets).fill(null)
  let n = 0
  const add = (t: number, x: number | null): undefined => {
    n++
    const b = Math.min(buckets - 1, Math.trunc(t / bucketMs))
    count[b]++
    if (t < firstT[b]) {
      firstT[b] = t
      first[b] = x
    }
    if (t > lastT[b]) {
      lastT[b] = t
      last[b] = x
    }
    if (x === null) return
    valued[b]++
    const s = sum[b]
    const y = s + x
    comp[b] += Math.abs(s) >= Math.abs(x) ? s - y + x : x - y + s
    sum[b] = y
    if (x < min[b]) min[b] = x
    if (x > max[b]) max[b] = x
  }
  return { count, valued, sum, comp, min, max, first, last, add, points: () => n }
}
