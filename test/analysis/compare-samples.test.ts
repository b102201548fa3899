import { describe, expect, it } from 'vitest'
import { compareSamples } from '../../src/core/analysis/compare'
import { mulberry32, normalSampler } from '../../src/core/analysis/stats'
import { SampleComparison } from '../../src/shared/analysis-dto'
import { A, B, close, rel } from './helpers'

const z = normalSampler(mulberry32(99))
const lognormal = (n: number, median: number, sigma = 0.3) => Array.from({ length: n }, () => median * Math.exp(sigma * z()))

describe('compareSamples', () => {
  it('reports the references of the single tests', () => {
    const c = SampleComparison.parse(compareSamples(A, B))
    close(c.welchT, 3.764755672988843)
    rel(c.welchP, 0.0013669681049643522, 1e-8)
    expect(c.mannWhitneyU).toBe(104)
    rel(c.mannWhitneyP, 0.004126774205385805, 1e-9)
    expect(c.pValue).toBe(c.mannWhitneyP)
    close(c.changePct, ((15.316666666666668 - 12.54) / 12.54) * 100)
    // B is higher and lower is better: a regression with a large ordinal effect.
    expect(c.verdict).toBe('regressed')
    expect(c.cliffsDelta).toBeGreaterThan(0.474)
    expect(c.differenceCi!.lower).toBeGreaterThan(0)
  })

  it('is direction-aware: higher throughput is an improvement', () => {
    expect(compareSamples(A, B, { direction: 'higher-is-better' }).verdict).toBe('improved')
    expect(compareSamples(B, A).verdict).toBe('improved')
  })

  it('says insufficient data below the minimum sample size (configurable)', () => {
    expect(compareSamples([1, 2, 3, 4], [5, 6, 7, 8]).verdict).toBe('insufficient-data')
    expect(compareSamples([1, 2, 3, 4], [5, 6, 7, 8], { minSamples: 4 }).verdict).toBe('regressed')
  })

  it('needs the minimum effect too: a tiny shift on a huge sample is not a regression', () => {
    const base = lognormal(20000, 1000)
    const cand = base.map((x) => x * 1.01 + 0.5)
    const c = compareSamples(base, cand, { resamples: 200 })
    expect(c.mannWhitneyP as number).toBeLessThan(0.05)
    expect(Math.abs(c.cliffsDelta as number)).toBeLessThan(0.147)
    expect(c.verdict).toBe('no-significant-change')
    expect(compareSamples(base, cand, { resamples: 200, minEffect: 0 }).verdict).toBe('regressed')
  })

  it('finds a planted 20% latency regression and no change between draws of one distribution', () => {
    expect(compareSamples(lognormal(60, 1000), lognormal(60, 1200)).verdict).toBe('regressed')
    expect(compareSamples(lognormal(60, 1000), lognormal(60, 1000)).verdict).toBe('no-significant-change')
  })

  it('uses Welch when asked and the adjusted p when given', () => {
    const c = compareSamples(A, B, { test: 'welch' })
    expect(c.pValue).toBe(c.welchP)
    expect(compareSamples(A, B, { adjustedP: 0.2 }).verdict).toBe('no-significant-change')
  })
})
