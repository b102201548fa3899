import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compareSamples } from '../../src/core/analysis/compare'
import { holmAdjust, quantile } from '../../src/core/analysis/stats'

const value = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true })
const sample = (min = 1) => fc.array(value, { minLength: min, maxLength: 60 })
const opts = { resamples: 200 }

describe('properties', () => {
  it('percentiles are monotone in p', () => {
    fc.assert(
      fc.property(sample(), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (xs, p, q) => {
        const [lo, hi] = p <= q ? [p, q] : [q, p]
        expect(quantile(xs, lo) as number).toBeLessThanOrEqual(quantile(xs, hi) as number)
      }),
    )
  })

  it('comparing a sample with itself is never significant', () => {
    fc.assert(
      fc.property(sample(2), fc.constantFrom<'mann-whitney' | 'welch'>('mann-whitney', 'welch'), (xs, test) => {
        const c = compareSamples(xs, [...xs], { ...opts, test, minSamples: 2 })
        expect(['no-significant-change', 'insufficient-data']).toContain(c.verdict)
        expect(c.cliffsDelta).toBe(0)
        expect(c.mannWhitneyP).toBe(1)
        if (c.welchP !== null) expect(c.welchP).toBeCloseTo(1, 12)
      }),
      { numRuns: 150 },
    )
  })

  it('swapping baseline and candidate flips the sign of the change and of the effect sizes', () => {
    const positive = fc.array(fc.double({ min: 0.001, max: 1e5, noNaN: true }), { minLength: 2, maxLength: 40 })
    fc.assert(
      fc.property(positive, positive, (b, c) => {
        const ab = compareSamples(b, c, opts)
        const ba = compareSamples(c, b, opts)
        // Change % is relative to the baseline, so its magnitude differs; its sign flips.
        if (ab.changePct !== null && ba.changePct !== null) expect(Math.sign(ab.changePct)).toBe(-Math.sign(ba.changePct))
        expect(ab.cliffsDelta as number).toBeCloseTo(-(ba.cliffsDelta as number), 12)
        if (ab.cohensD !== null) expect(ab.cohensD).toBeCloseTo(-(ba.cohensD as number), 9)
        if (ab.welchT !== null) expect(ab.welchT).toBeCloseTo(-(ba.welchT as number), 9)
        if (ab.welchP !== null) expect(ab.welchP).toBeCloseTo(ba.welchP as number, 12)
        expect(ab.mannWhitneyP).toBeCloseTo(ba.mannWhitneyP as number, 12)
        const flip = { improved: 'regressed', regressed: 'improved' } as Record<string, string>
        expect(ba.verdict).toBe(flip[ab.verdict] ?? ab.verdict)
      }),
      { numRuns: 150 },
    )
  })

  it('Holm-adjusted p-values are ≥ the raw ones, ≤ 1, and monotone in the raw order', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }), { maxLength: 30 }), (ps) => {
        const adj = holmAdjust(ps)
        ps.forEach((p, i) => {
          if (p === null) return expect(adj[i]).toBeNull()
          expect(adj[i] as number).toBeGreaterThanOrEqual(p)
          expect(adj[i] as number).toBeLessThanOrEqual(1)
        })
        const idx = ps.flatMap((p, i) => (p === null ? [] : [i]))
        for (const i of idx) for (const j of idx) if ((ps[i] as number) < (ps[j] as number)) expect(adj[i] as number).toBeLessThanOrEqual(adj[j] as number)
      }),
    )
  })
})
