import { averageRanks, mean, sorted, sortedBound, variance, type Sample } from './descriptive'
import { normalTwoSided, studentTTwoSided } from './distributions'

// Two-sample tests and effect sizes. Throughout, differences are candidate − baseline, so a
// positive value means "candidate is larger", and swapping the samples flips every sign.

export interface WelchResult {
  /** null when both samples have zero variance (the difference is then exact, not estimated). */
  t: number | null
  df: number | null
  pValue: number
  meanDifference: number
}

/** Welch's unequal-variance t-test; df by Welch–Satterthwaite: (v1/n1 + v2/n2)² / Σ (vi/ni)²/(ni − 1). */
export function welchTTest(baseline: Sample, candidate: Sample): WelchResult | null {
  const n1 = baseline.length
  const n2 = candidate.length
  if (n1 < 2 || n2 < 2) return null
  const d = (mean(candidate) as number) - (mean(baseline) as number)
  const a = (variance(baseline) as number) / n1
  const b = (variance(candidate) as number) / n2
  const se2 = a + b
  if (se2 === 0) return { t: null, df: null, pValue: d === 0 ? 1 : 0, meanDifference: d }
  const t = d / Math.sqrt(se2)
  // The same df written with the shares a/(a + b), b/(a + b): squaring tiny variances would underflow to 0/0.
  const ra = a / se2
  const rb = b / se2
  const df = 1 / ((ra * ra) / (n1 - 1) + (rb * rb) / (n2 - 1))
  if (!Number.isFinite(t)) return { t: null, df, pValue: 0, meanDifference: d }
  return { t, df, pValue: studentTTwoSided(t, df), meanDifference: d }
}

export interface MannWhitneyResult {
  /** U of the candidate: pairs where candidate > baseline, ties counting ½. */
  u: number
  z: number
  pValue: number
}

/**
 * Mann–Whitney U, normal approximation with the tie-corrected variance
 * σ² = n1·n2/12·((n + 1) − Σ(t³ − t)/(n(n − 1))) and a continuity correction of ½
 * (the same as scipy.stats.mannwhitneyu(method='asymptotic', use_continuity=True)).
 */
export function mannWhitneyU(baseline: Sample, candidate: Sample): MannWhitneyResult | null {
  const n1 = baseline.length
  const n2 = candidate.length
  if (n1 < 1 || n2 < 1) return null
  const n = n1 + n2
  const all = new Float64Array(n)
  all.set(Array.from(baseline), 0)
  all.set(Array.from(candidate), n1)
  const { ranks, tieTerm } = averageRanks(all)
  let r2 = 0
  for (let i = n1; i < n; i++) r2 += ranks[i]
  const u = r2 - (n2 * (n2 + 1)) / 2
  const mu = (n1 * n2) / 2
  const sigma2 = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)))
  if (!(sigma2 > 0)) return { u, z: 0, pValue: 1 } // every value tied: no evidence either way
  const dev = u - mu
  const z = (Math.sign(dev) * Math.max(0, Math.abs(dev) - 0.5)) / Math.sqrt(sigma2)
  return { u, z, pValue: Math.min(1, normalTwoSided(z)) }
}

/** Cohen's d = (mean_c − mean_b)/s_pooled with s_pooled² = ((n1 − 1)s1² + (n2 − 1)s2²)/(n1 + n2 − 2). */
export function cohensD(baseline: Sample, candidate: Sample): number | null {
  const n1 = baseline.length
  const n2 = candidate.length
  if (n1 < 2 || n2 < 2) return null
  const pooled = ((n1 - 1) * (variance(baseline) as number) + (n2 - 1) * (variance(candidate) as number)) / (n1 + n2 - 2)
  const d = (mean(candidate) as number) - (mean(baseline) as number)
  if (pooled === 0) return d === 0 ? 0 : null
  return d / Math.sqrt(pooled)
}

/**
 * Cliff's δ = P(C > B) − P(C < B) over all pairs, in O(n log n) by binary search in the sorted
 * baseline. Ordinal, so it suits skewed latencies; |δ| < 0.147 is conventionally negligible,
 * < 0.33 small, < 0.474 medium, larger is large (Romano et al., 2006).
 */
export function cliffsDelta(baseline: Sample, candidate: Sample): number | null {
  const n1 = baseline.length
  const n2 = candidate.length
  if (n1 === 0 || n2 === 0) return null
  const asc = sorted(baseline)
  let score = 0
  for (let i = 0; i < n2; i++) {
    const c = candidate[i]
    const below = sortedBound(asc, c, false) // baseline values < c
    const above = n1 - sortedBound(asc, c, true) // baseline values > c
    score += below - above
  }
  return score / (n1 * n2)
}

/**
 * Holm–Bonferroni step-down adjustment: sorted ascending, p_(i) becomes max over j ≤ i of
 * min(1, (m − j + 1)·p_(j)). Controls the family-wise error rate with no independence
 * assumption. Nulls (tests that could not run) are passed through and not counted in m.
 */
export function holmAdjust(pValues: ReadonlyArray<number | null>): (number | null)[] {
  const idx = pValues.flatMap((p, i) => (p === null ? [] : [i])).sort((a, b) => (pValues[a] as number) - (pValues[b] as number))
  const m = idx.length
  const out: (number | null)[] = pValues.map(() => null)
  let running = 0
  idx.forEach((i, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * (pValues[i] as number)))
    out[i] = running
  })
  return out
}
