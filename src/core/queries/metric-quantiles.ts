import type { Database, Statement } from 'better-sqlite3'

// Exact percentiles of a stored metric without reading its values into memory: with the index
// on metric_samples(run_id, name, value) (migration 0004) a count and, per percentile, the two
// order statistics around it (ORDER BY value LIMIT 2 OFFSET k) are index-only walks. Lower
// percentiles walk up from the smallest value, upper ones down from the largest, so no walk is
// longer than half the samples. Interpolation is type 7 (R's default, numpy.percentile), the
// same as the analysis engine's quantile().

const statements = new WeakMap<Database, { count: Statement; up: Statement; down: Statement }>()

function prepared(db: Database) {
  let s = statements.get(db)
  if (!s) {
    s = {
      count: db.prepare('SELECT COUNT(*) FROM metric_samples WHERE run_id = ? AND name = ?').pluck(),
      up: db.prepare('SELECT value FROM metric_samples WHERE run_id = ? AND name = ? ORDER BY value LIMIT 2 OFFSET ?').pluck(),
      down: db.prepare('SELECT value FROM metric_samples WHERE run_id = ? AND name = ? ORDER BY value DESC LIMIT 2 OFFSET ?').pluck(),
    }
    statements.set(db, s)
  }
  return s
}

/** Percentiles (p in [0, 1]) of one metric of one run; nulls when it has no samples. */
export function metricQuantiles(db: Database, runId: string, name: string, ps: number[]): { count: number; values: (number | null)[] } {
  const s = prepared(db)
  const n = s.count.get(runId, name) as number
  if (n === 0) return { count: 0, values: ps.map(() => null) }
  const values = ps.map((p) => {
    const h = (n - 1) * p
    const lo = Math.floor(h)
    const frac = h - lo
    let pair: number[]
    if (lo < n / 2) pair = s.up.all(runId, name, lo) as number[]
    else {
      // x[lo] and x[lo + 1] counted from the top: offsets n − 2 − lo and n − 1 − lo.
      const top = s.down.all(runId, name, Math.max(0, n - 2 - lo)) as number[]
      pair = lo + 1 >= n ? [top[0]] : [top[1], top[0]]
    }
    const [a, b = a] = pair
    return a + frac * (b - a)
  })
  return { count: n, values }
}
