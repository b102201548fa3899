import { jStat } from 'jstat'
import * as ss from 'simple-statistics'
import { describe, expect, it } from 'vitest'
import { cliffsDelta, cohensD, holmAdjust, mannWhitneyU, welchTTest } from '../../src/core/analysis/stats'
import { A, B, close, rel } from './helpers'

describe("Welch's t-test", () => {
  it('matches scipy.stats.ttest_ind(B, A, equal_var=False)', () => {
    const w = welchTTest(A, B)!
    close(w.t, 3.764755672988843)
    close(w.df, 18.460597834717493)
    rel(w.pValue, 0.0013669681049643522, 1e-8)
  })
  it('p matches jstat’s t cdf at the Welch–Satterthwaite df computed from simple-statistics', () => {
    const va = ss.sampleVariance(A) / A.length
    const vb = ss.sampleVariance(B) / B.length
    const t = (ss.mean(B) - ss.mean(A)) / Math.sqrt(va + vb)
    const df = (va + vb) ** 2 / (va ** 2 / (A.length - 1) + vb ** 2 / (B.length - 1))
    const w = welchTTest(A, B)!
    close(w.t, t)
    close(w.df, df)
    expect(Math.abs(w.pValue - 2 * jStat.studentt.cdf(-Math.abs(t), df))).toBeLessThan(1e-6)
  })
  it('handles zero variance', () => {
    expect(welchTTest([2, 2, 2], [2, 2, 2])).toMatchObject({ t: null, pValue: 1 })
    expect(welchTTest([2, 2, 2], [3, 3, 3])).toMatchObject({ t: null, pValue: 0 })
  })
})

describe('Mann–Whitney U (normal approximation, tie and continuity corrections)', () => {
  it('matches scipy.stats.mannwhitneyu(B, A, method="asymptotic")', () => {
    const r = mannWhitneyU(A, B)!
    expect(r.u).toBe(104)
    rel(r.pValue, 0.004126774205385805, 1e-9)
  })
  it('matches scipy with many ties', () => {
    const C = [1, 2, 2, 3, 3, 3, 4, 5]
    const D = [2, 3, 4, 4, 5, 5, 6, 7, 7]
    const r = mannWhitneyU(C, D)!
    expect(r.u).toBe(58.5)
    rel(r.pValue, 0.03175895714806371, 1e-9)
  })
  it('textbook case by hand: [1,2,3] vs [4,5,6,7]', () => {
    // U = 12 (every pair), μ = 6, σ² = 3·4·8/12 = 8, z = (6 − ½)/√8 = 1.944544…, p = 2(1 − Φ(z)) = 0.0518299…
    const r = mannWhitneyU([1, 2, 3], [4, 5, 6, 7])!
    expect(r.u).toBe(12)
    close(r.z, 5.5 / Math.sqrt(8))
    close(r.pValue, 2 * (1 - jStat.normal.cdf(5.5 / Math.sqrt(8), 0, 1)), 1e-12)
  })
})

describe('effect sizes', () => {
  it("Cohen's d with the pooled SD (from simple-statistics variances)", () => {
    const sp = Math.sqrt(((A.length - 1) * ss.sampleVariance(A) + (B.length - 1) * ss.sampleVariance(B)) / (A.length + B.length - 2))
    close(cohensD(A, B), (ss.mean(B) - ss.mean(A)) / sp)
  })
  it("Cliff's δ equals the brute-force pair count and 2U/(n1·n2) − 1", () => {
    const brute = (x: number[], y: number[]) => {
      let s = 0
      for (const b of x) for (const c of y) s += Math.sign(c - b)
      return s / (x.length * y.length)
    }
    const C = [1, 2, 2, 3, 3, 3, 4, 5]
    const D = [2, 3, 4, 4, 5, 5, 6, 7, 7]
    close(cliffsDelta(A, B), brute(A, B))
    close(cliffsDelta(C, D), brute(C, D))
    close(cliffsDelta(C, D), (2 * 58.5) / (C.length * D.length) - 1)
  })
})

describe('Holm–Bonferroni', () => {
  it('matches the hand-worked step-down example', () => {
    // sorted 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → running max 0.06
    const adj = holmAdjust([0.01, 0.04, 0.03, 0.005])
    ;[0.03, 0.06, 0.06, 0.02].forEach((v, i) => close(adj[i], v, 1e-15))
    expect(holmAdjust([0.2, null, 0.9])).toEqual([0.4, null, 0.9])
    expect(holmAdjust([0.6, 0.7])).toEqual([1, 1])
  })
})
