import { jStat } from 'jstat'
import * as ss from 'simple-statistics'
import { describe, expect, it } from 'vitest'
import { linearTrend, pearson, predictionInterval, robustAnomalies, spearman, studentTTwoSided, zScoreAnomalies } from '../../src/core/analysis/stats'
import { A, B, close, rel } from './helpers'

const X = Array.from({ length: 12 }, (_, i) => i + 1)
const Y = [2.1, 2.9, 4.2, 4.8, 6.1, 6.8, 8.3, 8.9, 10.2, 10.8, 12.1, 13.3]

describe('trend', () => {
  it('least squares matches simple-statistics and scipy.stats.linregress', () => {
    const t = linearTrend(X, Y)!
    const pairs = X.map((x, i) => [x, Y[i]])
    const ref = ss.linearRegression(pairs)
    close(t.slope, ref.m)
    close(t.intercept, ref.b)
    close(t.rSquared, ss.rSquared(pairs, ss.linearRegressionLine(ref)))
    close(t.slope, 1.0108391608391607)
    close(t.intercept, 0.9712121212121207)
    close(t.rSquared, 0.9973219015827269)
    close(t.slopeStdErr, 0.01656447389327039)
    rel(t.slopePValue, 3.394051526311617e-14, 1e-6)
  })

  it('prediction interval: ŷ ± t(0.975, n − 2)·s·√(1 + 1/n + (x0 − x̄)²/Sxx), computed independently with jstat', () => {
    const t = linearTrend(X, Y)!
    const x0 = 15
    const n = X.length
    const fit = X.map((x) => 0.9712121212121207 + 1.0108391608391607 * x)
    const s = Math.sqrt(Y.reduce((acc, y, i) => acc + (y - fit[i]) ** 2, 0) / (n - 2))
    const xbar = ss.mean(X)
    const sxx = X.reduce((acc, x) => acc + (x - xbar) ** 2, 0)
    const half = jStat.studentt.inv(0.975, n - 2) * s * Math.sqrt(1 + 1 / n + (x0 - xbar) ** 2 / sxx)
    const yhat = 0.9712121212121207 + 1.0108391608391607 * x0
    const pi = predictionInterval(t, x0)!
    close(pi.estimate, yhat)
    close(pi.lower, yhat - half, 1e-7)
    close(pi.upper, yhat + half, 1e-7)
  })

  it('rejects unpaired samples and degenerate x', () => {
    expect(() => linearTrend([1, 2], [1])).toThrow(RangeError)
    expect(linearTrend([3, 3, 3], [1, 2, 3])).toBeNull()
  })
})

describe('correlation', () => {
  it('Pearson r matches simple-statistics; its p matches scipy.stats.pearsonr and jstat’s t cdf', () => {
    const b = B.slice(0, 10)
    const c = pearson(A, b)!
    close(c.r, ss.sampleCorrelation(A, b))
    close(c.r, 0.3827567515345789)
    close(c.pValue, 0.2749772213805109)
    const t = c.r * Math.sqrt((10 - 2) / (1 - c.r * c.r))
    expect(Math.abs((c.pValue as number) - 2 * (1 - jStat.studentt.cdf(Math.abs(t), 8)))).toBeLessThan(1e-6)
  })
  it('Spearman ρ with ties matches simple-statistics, jstat and scipy.stats.spearmanr', () => {
    const P = [1, 2, 2, 3, 5, 5, 5, 8, 9, 10]
    const Q = [2, 1, 4, 4, 6, 5, 7, 7, 10, 9]
    const c = spearman(P, Q)!
    close(c.r, ss.sampleRankCorrelation(P, Q))
    close(c.r, jStat.spearmancoeff(P, Q))
    close(c.r, 0.93812095999547)
    rel(c.pValue, 5.950220707696844e-5, 1e-6)
    close(c.pValue, studentTTwoSided(c.r * Math.sqrt(8 / (1 - c.r * c.r)), 8))
  })
})

describe('anomalies', () => {
  const base = [100, 104, 98, 101, 97, 103, 99, 102, 100, 96, 105, 101]
  it('z-score flags |z| > 2.5 and matches simple-statistics zScore', () => {
    const xs = [...base, 180]
    const m = ss.mean(xs)
    const s = ss.sampleStandardDeviation(xs)
    const found = zScoreAnomalies(xs)
    expect(found.map((a) => a.index)).toEqual([12])
    close(found[0].score, ss.zScore(180, m, s))
  })
  it('robust modified z = 0.6745(x − median)/MAD with severities, reporting input indices', () => {
    const xs = [...base, 130, 160, 400]
    const med = ss.median(xs)
    const madv = ss.medianAbsoluteDeviation(xs)
    const found = robustAnomalies(xs)
    expect(found.map((a) => a.index)).toEqual([12, 13, 14])
    for (const a of found) close(a.score, (0.6745 * (xs[a.index] - med)) / madv)
    // median 101, MAD 3: 130 scores 6.5 (medium, 5–8), 160 and 400 score above 8 (high).
    expect(found.map((a) => a.severity)).toEqual(['medium', 'high', 'high'])
    const mild = robustAnomalies([...base, 112])
    expect(mild).toHaveLength(1)
    expect(mild[0].severity).toBe('low')
    expect(robustAnomalies([...base, 60], { direction: 'high' })).toEqual([])
    expect(robustAnomalies([...base, 60], { direction: 'low' })[0].index).toBe(12)
  })
  it('falls back to the mean absolute deviation when MAD is 0, and finds nothing in a constant sample', () => {
    const xs = [5, 5, 5, 5, 5, 5, 5, 9, 50]
    const found = robustAnomalies(xs)
    const meanAd = xs.reduce((t, x) => t + Math.abs(x - 5), 0) / xs.length
    expect(found.map((a) => a.index)).toEqual([8])
    close(found[0].score, (0.7979 * 45) / meanAd)
    expect(robustAnomalies([3, 3, 3, 3])).toEqual([])
    // The z-score is masked by the outlier it contains when n is tiny: √((n−1)²/n) bounds |z|.
    expect(zScoreAnomalies([1, 1, 1, 100])).toEqual([])
  })
})
