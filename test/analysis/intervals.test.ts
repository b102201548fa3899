import { jStat } from 'jstat'
import * as ss from 'simple-statistics'
import { describe, expect, it } from 'vitest'
import {
  bootstrapMeanDifference, classifyDistribution, histogram, jarqueBera, ksUniform, meanConfidenceInterval, medianConfidenceInterval,
  bimodalityCoefficient, mulberry32, normalSampler, wilsonInterval,
} from '../../src/core/analysis/stats'
import { A, B, close } from './helpers'

describe('confidence intervals', () => {
  it('t interval of the mean matches scipy.stats.t.interval and jStat.tci', () => {
    const ci = meanConfidenceInterval(A)!
    close(ci.lower, 11.254478892655044)
    close(ci.upper, 13.825521107344954)
    const [lo, hi] = jStat.tci(ss.mean(A), 0.05, ss.sampleStandardDeviation(A), A.length)
    close(ci.lower, lo, 1e-7) // jstat's t quantile is good to ~1e-8
    close(ci.upper, hi, 1e-7)
    expect(meanConfidenceInterval([1])).toBeNull()
  })

  it('bootstrap of the median is reproducible for a seed and brackets the median', () => {
    const a = medianConfidenceInterval(B, { seed: 7 })!
    const b = medianConfidenceInterval(B, { seed: 7 })!
    const c = medianConfidenceInterval(B, { seed: 8 })!
    expect(a).toEqual(b)
    expect(a.lower === c.lower && a.upper === c.upper).toBe(false)
    expect(a.lower).toBeLessThanOrEqual(a.estimate)
    expect(a.upper).toBeGreaterThanOrEqual(a.estimate)
    close(a.estimate, ss.median(B))
  })

  it('bootstrap median interval has the asymptotic width 2·z·1.2533·σ/√n on a large normal sample', () => {
    const z = normalSampler(mulberry32(1))
    const xs = Array.from({ length: 2000 }, () => 100 + 15 * z())
    const ci = medianConfidenceInterval(xs, { seed: 3, resamples: 1000 })!
    const expected = 2 * 1.959964 * 1.2533 * (15 / Math.sqrt(2000))
    expect(Math.abs(ci.upper - ci.lower - expected) / expected).toBeLessThan(0.2)
  })

  it('bootstrap of the difference of means is centred on the observed difference', () => {
    const ci = bootstrapMeanDifference(A, B, { seed: 11 })!
    close(ci.estimate, ss.mean(B) - ss.mean(A))
    expect(ci.lower).toBeLessThan(ci.estimate)
    expect(ci.upper).toBeGreaterThan(ci.estimate)
    // The t interval of Welch's test (scipy: t = 3.7648, df = 18.46) has half-width ≈ 1.44; the bootstrap is close.
    expect(Math.abs((ci.upper - ci.lower) / 2 - 1.44)).toBeLessThan(0.3)
  })

  it('Wilson interval: 0 of 10 → [0, 0.2775], 3 of 10 → [0.1078, 0.6032] (Wilson 1927 formula, z from scipy)', () => {
    const zero = wilsonInterval(0, 10)!
    expect(zero.lower).toBe(0)
    close(zero.upper, 0.2775327998628892)
    const three = wilsonInterval(3, 10)!
    close(three.lower, 0.10779126740630099)
    close(three.upper, 0.6032218525388546)
  })
})

describe('histogram (reference: numpy.histogram_bin_edges(bins="fd"))', () => {
  const H = [1.2, 2.3, 2.9, 3.1, 3.3, 3.8, 4.0, 4.4, 5.1, 5.5, 6.0, 6.2, 7.9, 9.5, 12.0, 15.5, 3.3, 4.1, 4.2, 4.9]
  it('uses Freedman–Diaconis bins', () => {
    const h = histogram(H)!
    expect(h.rule).toBe('freedman-diaconis')
    expect(h.counts).toEqual([3, 8, 5, 1, 1, 0, 1, 1])
    close(h.binWidth, 1.7874999999999999)
    expect(h.edges[0]).toBe(1.2)
    expect(h.edges[8]).toBe(15.5)
  })
  it('falls back to Sturges when the IQR is 0, and to one bin for a constant sample', () => {
    const h = histogram([5, 5, 5, 5, 5, 5, 1, 9])!
    expect(h.rule).toBe('sturges')
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(8)
    expect(histogram([2, 2, 2])).toMatchObject({ rule: 'single', counts: [3] })
    expect(histogram([])).toBeNull()
  })
})

describe('distribution shape', () => {
  it('Jarque–Bera matches scipy.stats.jarque_bera', () => {
    const jb = jarqueBera(B)
    close(jb.statistic, 0.5587241337823233)
    close(jb.pValue, 0.7562660347465948)
  })
  it('KS against U(min, max): D matches scipy.stats.kstest, p matches kstwobign with Stephens’ correction', () => {
    const ks = ksUniform(A)
    close(ks.statistic, 0.13333333333333364)
    close(ks.pValue, 0.9896655101570738, 1e-9)
  })
  it("Sarle's coefficient from the bias-corrected moments of simple-statistics", () => {
    const n = B.length
    const g1 = ss.sampleSkewness(B)
    const g2 = ss.sampleKurtosis(B)
    close(bimodalityCoefficient(B), (g1 * g1 + 1) / (g2 + (3 * (n - 1) ** 2) / ((n - 2) * (n - 3))))
  })

  const rng = mulberry32(42)
  const z = normalSampler(rng)
  const n = 600
  const cases: [string, number[]][] = [
    ['normal', Array.from({ length: n }, () => 50 + 5 * z())],
    ['log-normal', Array.from({ length: n }, () => Math.exp(3 + 0.9 * z()))],
    ['uniform', Array.from({ length: n }, () => 10 + 20 * rng())],
    ['bimodal', Array.from({ length: n }, (_, i) => (i % 2 ? 20 : 60) + 4 * z())],
    // Student t with 3 df (normal over √(χ²₃/3)): symmetric, takes negatives, kurtosis far above normal.
    ['heavy-tailed', Array.from({ length: n }, () => z() / Math.sqrt((z() ** 2 + z() ** 2 + z() ** 2) / 3))],
  ]
  for (const [kind, xs] of cases) {
    it(`labels a seeded ${kind} sample as ${kind}`, () => {
      const shape = classifyDistribution(xs)
      expect(shape.kind, shape.reason).toBe(kind)
      expect(shape.score).not.toBeNull()
    })
  }
  it('needs 8 values', () => expect(classifyDistribution([1, 2, 3]).kind).toBe('insufficient-data'))
})
