import * as ss from 'simple-statistics'
import { jStat } from 'jstat'
import { describe, expect, it } from 'vitest'
import { averageRanks, excessKurtosis, mad, quantile, sampleExcessKurtosis, sampleSkewness, skewness, summarize, sum, variance } from '../../src/core/analysis/stats'
import { A, B, close } from './helpers'

describe('summary', () => {
  it('matches simple-statistics and jstat on count, sum, mean, sample std, min, max', () => {
    for (const xs of [A, B, [5], [1e9 + 1, 1e9 + 2, 1e9 + 3], [-3.5, 0, 2.25, 8, 8, 11]]) {
      const s = summarize(xs)
      expect(s.count).toBe(xs.length)
      close(s.sum, ss.sum(xs))
      close(s.mean, ss.mean(xs))
      close(s.min, ss.min(xs))
      close(s.max, ss.max(xs))
      if (xs.length > 1) {
        close(s.std, ss.sampleStandardDeviation(xs))
        close(s.std, jStat.stdev(xs, true))
      } else expect(s.std).toBeNull()
    }
  })

  it('computes type-7 percentiles like numpy.percentile (values from numpy)', () => {
    const s = summarize(A)
    close(s.p50, 12.399999999999999)
    close(s.p75, 13.975000000000001)
    close(s.p90, 14.84)
    close(s.p95, 15.02)
    close(s.p99, 15.164)
    close(quantile(A, 0.1), 10.790000000000001)
    close(quantile(A, 0.25), 11.2)
    expect(quantile(A, 0)).toBe(9.8)
    expect(quantile(A, 1)).toBe(15.2)
  })

  it('agrees with simple-statistics quantileSorted (type 7) and jStat.percentile on many p', () => {
    const asc = [...B].sort((a, b) => a - b)
    for (let p = 0; p <= 1.0000001; p += 0.01) {
      const q = Math.min(1, p)
      close(quantile(B, q), ss.quantileSorted(asc, q))
      // jStat.percentile stops interpolating in its last interval ((n − 1)p > n − 2): compared below it.
      if ((B.length - 1) * q < B.length - 2) close(quantile(B, q), jStat.percentile(B, q))
    }
  })

  it('accepts Float64Array and is empty-safe', () => {
    const s = summarize(Float64Array.from(A))
    close(s.mean, ss.mean(A))
    const e = summarize([])
    expect(e).toMatchObject({ count: 0, sum: 0, mean: null, std: null, min: null, p95: null })
  })

  it('keeps precision where naive sums lose it', () => {
    // 1e16 + 1 − 1e16 is 0 in naive double arithmetic; the compensated sum returns 1.
    expect(sum([1e16, 1, -1e16])).toBe(1)
    close(variance([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]), 30)
  })

  it('skewness and kurtosis: population forms match jstat, corrected forms match simple-statistics and scipy', () => {
    close(skewness(A), jStat.skewness(A))
    close(excessKurtosis(A), jStat.kurtosis(A))
    close(skewness(A), 0.13602107393731402) // scipy.stats.skew(A)
    close(excessKurtosis(A), -1.1662784462911433) // scipy.stats.kurtosis(A)
    close(sampleSkewness(A), ss.sampleSkewness(A))
    close(sampleSkewness(A), 0.16130115128402983) // scipy.stats.skew(A, bias=False)
    close(sampleExcessKurtosis(A), ss.sampleKurtosis(A))
    close(sampleExcessKurtosis(A), -1.0975279675504142) // scipy.stats.kurtosis(A, bias=False)
  })

  it('MAD and average ranks match simple-statistics', () => {
    close(mad(B), ss.medianAbsoluteDeviation(B))
    const xs = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]
    const { ranks, tieTerm } = averageRanks(xs)
    expect(Array.from(ranks)).toEqual([4.5, 1.5, 6, 1.5, 8, 11, 3, 10, 8, 4.5, 8])
    expect(tieTerm).toBe(6 + 6 + 24) // two pairs (2³ − 2 each) and a triple (3³ − 3)
  })
})
