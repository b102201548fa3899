import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { metricQuantiles } from '../../src/core/queries/metric-quantiles'
import { openStore } from '../../src/core/store/open'
import { tempDb } from '../helpers/temp'

// Percentiles of stored metric samples by index walks, against sorting the same values here.

/** Type 7 (numpy's default), written out independently of the code under test. */
function expected(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b)
  const h = (s.length - 1) * p
  const i = Math.floor(h)
  const j = Math.min(i + 1, s.length - 1)
  return s[i] + (h - i) * (s[j] - s[i])
}

describe('metricQuantiles', () => {
  it('equals sorting the values, for any sample and any percentile, per run and metric', () => {
    const store = openStore({ path: tempDb() })
    try {
      store.write.prepare(`INSERT INTO runs (id, source, format, name, created_at, updated_at) VALUES ('a', 't', 't', 'a', 0, 0), ('b', 't', 't', 'b', 0, 0)`).run()
      const insert = store.write.prepare('INSERT INTO metric_samples (run_id, name, ts, value) VALUES (?, ?, ?, ?)')
      let k = 0
      fc.assert(fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 5 }),
        (values, ps) => {
          const name = `m${k++}`
          // The same metric name in another run must not leak into this one.
          store.write.transaction(() => {
            values.forEach((v, ts) => insert.run('a', name, ts, v))
            insert.run('b', name, 0, 1e9)
          })()
          const got = metricQuantiles(store.read, 'a', name, ps)
          expect(got.count).toBe(values.length)
          got.values.forEach((v, i) => expect(v).toBeCloseTo(expected(values, ps[i]), 6))
        },
      ), { numRuns: 150 })
      expect(metricQuantiles(store.read, 'a', 'missing', [0.5])).toEqual({ count: 0, values: [null] })
    } finally {
      store.close()
    }
  })

  it('walks the (run_id, name, value) index rather than sorting the table', () => {
    const store = openStore({ path: tempDb() })
    try {
      const plan = store.read.prepare("EXPLAIN QUERY PLAN SELECT value FROM metric_samples WHERE run_id = 'a' AND name = 'm' ORDER BY value LIMIT 2 OFFSET 10").all() as { detail: string }[]
      expect(plan.map((p) => p.detail).join('; ')).toMatch(/USING COVERING INDEX metric_samples_value/)
      expect(plan.map((p) => p.detail).join('; ')).not.toMatch(/TEMP B-TREE/)
    } finally {
      store.close()
    }
  })
})
