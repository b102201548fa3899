import { erfc, logGamma, regularizedBeta } from './special'

// Normal and Student-t distributions. Two-sided tail probabilities are computed directly
// (never as 1 − cdf) so small p-values keep their relative precision.

const SQRT2 = Math.SQRT2
const SQRT_2PI = Math.sqrt(2 * Math.PI)

export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI
}

export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / SQRT2)
}

/** P(|Z| ≥ |z|). */
export function normalTwoSided(z: number): number {
  return erfc(Math.abs(z) / SQRT2)
}

// Acklam's rational approximation (|rel. error| < 1.15e-9), polished below by one Halley step.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239]
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1]
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783]
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416]

export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN
  if (p === 0) return -Infinity
  if (p === 1) return Infinity
  let x: number
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p))
    x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1)
  } else if (p > 1 - 0.02425) {
    const q = Math.sqrt(-2 * Math.log1p(-p))
    x = -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1)
  } else {
    const q = p - 0.5
    const r = q * q
    x = ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1)
  }
  // Halley's step on Φ(x) − p brings the 1e-9 starting point to full double precision.
  const e = normalCdf(x) - p
  const u = e * SQRT_2PI * Math.exp(0.5 * x * x)
  return x - u / (1 + 0.5 * x * u)
}

export function studentTPdf(t: number, df: number): number {
  if (df === Infinity) return normalPdf(t)
  const logC = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI)
  return Math.exp(logC - ((df + 1) / 2) * Math.log1p((t * t) / df))
}

/** P(|T| ≥ |t|) for T ~ t(df); df may be fractional (Welch). */
export function studentTTwoSided(t: number, df: number): number {
  if (df === Infinity) return normalTwoSided(t)
  const t2 = t * t
  // p = I_x(ν/2, 1/2) with x = ν/(ν + t²); 1 − x is passed as t²/(ν + t²) so that a small t
  // (x near 1) keeps its precision and a large t never goes through 1 − (something near 1).
  return regularizedBeta(df / (df + t2), df / 2, 0.5, t2 / (df + t2))
}

export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * studentTTwoSided(t, df)
  return t > 0 ? 1 - tail : tail
}

/**
 * Quantile of t(df). The upper-tail probability a = min(p, 1 − p) is solved for t ≥ 0 by a
 * safeguarded Newton iteration (a bisection step whenever Newton leaves the bracket), so it
 * converges for any df > 0, including df = 1 where the tails are Cauchy-heavy.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p >= 0 && p <= 1) || !(df > 0)) return NaN
  if (df === Infinity) return normalQuantile(p)
  if (p === 0) return -Infinity
  if (p === 1) return Infinity
  if (p === 0.5) return 0
  const a = Math.min(p, 1 - p)
  const sign = p < 0.5 ? -1 : 1
  const upper = (t: number) => 0.5 * studentTTwoSided(t, df)
  let lo = 0
  let hi = Math.max(1, -normalQuantile(a))
  while (upper(hi) > a) {
    lo = hi
    hi *= 2
    if (hi > 1e300) break
  }
  let t = Math.min(hi, Math.max(lo, -normalQuantile(a)))
  for (let i = 0; i < 200; i++) {
    const f = upper(t) - a
    if (f > 0) lo = t
    else hi = t
    const step = f / studentTPdf(t, df) // upper'(t) = −pdf(t), so Newton adds f/pdf
    let next = t + step
    if (!(next > lo && next < hi) || !Number.isFinite(next)) next = (lo + hi) / 2
    if (Math.abs(next - t) <= 1e-15 * Math.max(1, Math.abs(t))) {
      t = next
      break
    }
    t = next
  }
  return sign * t
}

/**
 * Kolmogorov's limiting distribution: P(D√n·correction > λ), with Stephens' small-sample
 * correction λ = (√n + 0.12 + 0.11/√n)·D (Numerical Recipes §14.3).
 */
export function kolmogorovPValue(d: number, n: number): number {
  const sn = Math.sqrt(n)
  const lambda = (sn + 0.12 + 0.11 / sn) * d
  if (lambda < 1e-3) return 1
  if (lambda < 1.18) {
    // The alternating series converges slowly for small λ; use the Jacobi-theta form of the cdf.
    const y = Math.exp((-Math.PI * Math.PI) / (8 * lambda * lambda))
    const cdf = (SQRT_2PI / lambda) * (y + Math.pow(y, 9) + Math.pow(y, 25) + Math.pow(y, 49))
    return Math.min(1, Math.max(0, 1 - cdf))
  }
  let s = 0
  for (let j = 1; j <= 100; j++) {
    const term = Math.exp(-2 * j * j * lambda * lambda)
    s += (j % 2 === 1 ? 1 : -1) * term
    if (term < 1e-17) break
  }
  return Math.min(1, Math.max(0, 2 * s))
}
