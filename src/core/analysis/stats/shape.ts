import { excessKurtosis, sampleExcessKurtosis, sampleSkewness, skewness, sorted, type Sample } from './descriptive'
import { kolmogorovPValue } from './distributions'

export type DistributionKind = 'normal' | 'log-normal' | 'uniform' | 'bimodal' | 'heavy-tailed' | 'other' | 'insufficient-data'

export interface ShapeTest {
  test: string
  statistic: number | null
  pValue: number | null
}

export interface DistributionShape {
  kind: DistributionKind
  /** The evidence for `kind`: a p-value for the fitted families, the coefficient or kurtosis otherwise. */
  score: number | null
  reason: string
  normality: ShapeTest
  logNormality: ShapeTest
  uniformity: ShapeTest
  bimodalityCoefficient: number | null
  excessKurtosis: number | null
}

export const MIN_SHAPE_SAMPLE = 8
/** Sarle's coefficient of a uniform distribution; a larger value points to two modes. */
export const BIMODALITY_THRESHOLD = 5 / 9

/** Jarque–Bera: JB = n/6·(g1² + g2²/4) is χ²(2) under normality, whose survival function is exp(−JB/2). */
export function jarqueBera(xs: Sample): ShapeTest {
  const g1 = skewness(xs)
  const g2 = excessKurtosis(xs)
  if (g1 === null || g2 === null) return { test: 'jarque-bera', statistic: null, pValue: null }
  const jb = (xs.length / 6) * (g1 * g1 + (g2 * g2) / 4)
  return { test: 'jarque-bera', statistic: jb, pValue: Math.exp(-jb / 2) }
}

/**
 * One-sample Kolmogorov–Smirnov against U(min, max). The bounds are estimated from the sample,
 * which makes the test conservative (it rejects less often); acceptable for a label, not a proof.
 */
export function ksUniform(xs: Sample): ShapeTest {
  const asc = sorted(xs)
  const n = asc.length
  if (n < 2 || asc[n - 1] === asc[0]) return { test: 'kolmogorov-smirnov-uniform', statistic: null, pValue: null }
  const lo = asc[0]
  const range = asc[n - 1] - lo
  let d = 0
  for (let i = 0; i < n; i++) {
    const f = (asc[i] - lo) / range
    d = Math.max(d, (i + 1) / n - f, f - i / n)
  }
  return { test: 'kolmogorov-smirnov-uniform', statistic: d, pValue: kolmogorovPValue(d, n) }
}

/** Sarle's bimodality coefficient b = (G1² + 1) / (G2 + 3(n − 1)²/((n − 2)(n − 3))), with bias-corrected G1, G2. */
export function bimodalityCoefficient(xs: Sample): number | null {
  const n = xs.length
  const g1 = sampleSkewness(xs)
  const g2 = sampleExcessKurtosis(xs)
  if (g1 === null || g2 === null || n < 4) return null
  return (g1 * g1 + 1) / (g2 + (3 * (n - 1) * (n - 1)) / ((n - 2) * (n - 3)))
}

/**
 * Labels a sample's shape. Order of decision, each step stated in `reason`:
 *  1. fewer than 8 values → insufficient-data;
 *  2. among the fitted families not rejected at `alpha` (normal: Jarque–Bera; log-normal:
 *     Jarque–Bera on ln x, positive data only; uniform: KS vs U(min, max)) the one with the
 *     largest p-value wins, the p-value being the score;
 *  3. else Sarle's coefficient above 5/9 → bimodal (score: the coefficient);
 *  4. else excess kurtosis above `heavyKurtosis` → heavy-tailed (score: the kurtosis);
 *  5. else other.
 */
export function classifyDistribution(xs: Sample, opts: { alpha?: number; heavyKurtosis?: number } = {}): DistributionShape {
  const alpha = opts.alpha ?? 0.05
  const heavy = opts.heavyKurtosis ?? 1
  const n = xs.length
  const positive = Array.prototype.every.call(xs, (x: number) => x > 0)
  const normality = jarqueBera(xs)
  const logNormality = positive ? jarqueBera(Array.from(xs, Math.log)) : { test: 'jarque-bera-log', statistic: null, pValue: null }
  logNormality.test = 'jarque-bera-log'
  const uniformity = ksUniform(xs)
  const bc = bimodalityCoefficient(xs)
  const kurt = excessKurtosis(xs)
  const base = { normality, logNormality, uniformity, bimodalityCoefficient: bc, excessKurtosis: kurt }
  if (n < MIN_SHAPE_SAMPLE) return { kind: 'insufficient-data', score: null, reason: `${n} values; at least ${MIN_SHAPE_SAMPLE} are needed`, ...base }
  if (normality.statistic === null) return { kind: 'other', score: null, reason: 'all values are equal', ...base }
  const fits: [DistributionKind, ShapeTest][] = [
    ['normal', normality],
    ['log-normal', logNormality],
    ['uniform', uniformity],
  ]
  let best: [DistributionKind, ShapeTest] | null = null
  for (const f of fits) {
    const p = f[1].pValue
    if (p !== null && p >= alpha && (!best || p > (best[1].pValue as number))) best = f
  }
  if (best) {
    return { kind: best[0], score: best[1].pValue, reason: `${best[1].test} p = ${fmt(best[1].pValue)} ≥ ${alpha}, the best fit not rejected`, ...base }
  }
  if (bc !== null && bc > BIMODALITY_THRESHOLD) {
    return { kind: 'bimodal', score: bc, reason: `no family fits at α = ${alpha}; bimodality coefficient ${fmt(bc)} > 5/9`, ...base }
  }
  if (kurt !== null && kurt > heavy) {
    return { kind: 'heavy-tailed', score: kurt, reason: `no family fits at α = ${alpha}; excess kurtosis ${fmt(kurt)} > ${heavy}`, ...base }
  }
  return { kind: 'other', score: null, reason: `no family fits at α = ${alpha} and no bimodal or heavy-tail signature`, ...base }
}

const fmt = (x: number | null) => (x === null ? 'n/a' : Number(x.toPrecision(3)).toString())
