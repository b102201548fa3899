import { averageRanks, mean, sum, type Sample } from './descriptive'
import { studentTQuantile, studentTTwoSided } from './distributions'
import type { Interval } from './intervals'

/** Paired statistics need pairs: unequal lengths are a caller's bug, not something to truncate silently. */
function pairedLength(x: Sample, y: Sample): number {
  if (x.length !== y.length) throw new RangeError(`paired samples differ in length: ${x.length} vs ${y.length}`)
  return x.length
}

export interface Trend {
  n: number
  slope: number
  intercept: number
  rSquared: number
  /** Residual standard error s = √(SSE/(n − 2)); null with n = 2 (a perfect fit of two points). */
  residualStd: number | null
  slopeStdErr: number | null
  /** Two-sided p of H0: slope = 0, from t = slope/SE with n − 2 df. */
  slopePValue: number | null
  /** x̄ and Σ(x − x̄)², kept so a prediction interval can be computed later. */
  meanX: number
  sxx: number
}

/** Ordinary least squares of y on x, centred on the means for numerical stability. */
export function linearTrend(x: Sample, y: Sample): Trend | null {
  const n = pairedLength(x, y)
  if (n < 2) return null
  const mx = sum(x) / n
  const my = sum(y) / n
  let sxx = 0
  let sxy = 0
  let syy = 0
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx
    const dy = y[i] - my
    sxx += dx * dx
    sxy += dx * dy
    syy += dy * dy
  }
  if (sxx === 0) return null
  const slope = sxy / sxx
  const intercept = my - slope * mx
  const sse = Math.max(0, syy - slope * sxy)
  // A constant y is fitted perfectly by a flat line.
  const rSquared = syy === 0 ? 1 : 1 - sse / syy
  const residualStd = n > 2 ? Math.sqrt(sse / (n - 2)) : null
  const slopeStdErr = residualStd === null ? null : residualStd / Math.sqrt(sxx)
  let slopePValue: number | null = null
  if (slopeStdErr !== null) slopePValue = slopeStdErr === 0 ? (slope === 0 ? 1 : 0) : studentTTwoSided(slope / slopeStdErr, n - 2)
  return { n, slope, intercept, rSquared, residualStd, slopeStdErr, slopePValue, meanX: mx, sxx }
}

/** ŷ(x0) ± t(1 − α/2, n − 2)·s·√(1 + 1/n + (x0 − x̄)²/Sxx): where one new observation at x0 should fall. */
export function predictionInterval(trend: Trend, x0: number, level = 0.95): Interval | null {
  const estimate = trend.intercept + trend.slope * x0
  if (trend.residualStd === null) return null
  const se = trend.residualStd * Math.sqrt(1 + 1 / trend.n + ((x0 - trend.meanX) ** 2) / trend.sxx)
  const half = studentTQuantile(1 - (1 - level) / 2, trend.n - 2) * se
  return { estimate, lower: estimate - half, upper: estimate + half, level }
}

export interface Correlation {
  n: number
  r: number
  /** Two-sided p of H0: ρ = 0 via t = r√((n − 2)/(1 − r²)) with n − 2 df. */
  pValue: number | null
}

export function pearson(x: Sample, y: Sample): Correlation | null {
  const n = pairedLength(x, y)
  if (n < 3) return null
  const mx = mean(x) as number
  const my = mean(y) as number
  let sxx = 0
  let syy = 0
  let sxy = 0
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx
    const dy = y[i] - my
    sxx += dx * dx
    syy += dy * dy
    sxy += dx * dy
  }
  if (sxx === 0 || syy === 0) return null
  const r = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)))
  const pValue = Math.abs(r) === 1 ? 0 : studentTTwoSided(r * Math.sqrt((n - 2) / (1 - r * r)), n - 2)
  return { n, r, pValue }
}

/** Spearman's ρ: Pearson's r of the average ranks (so ties are handled), with the same t approximation for p. */
export function spearman(x: Sample, y: Sample): Correlation | null {
  if (pairedLength(x, y) < 3) return null
  return pearson(averageRanks(x).ranks, averageRanks(y).ranks)
}
