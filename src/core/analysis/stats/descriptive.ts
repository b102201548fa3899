// Descriptive statistics over plain arrays or Float64Arrays. Undefined quantities are null,
// never NaN, so every result can go straight into JSON.

export type Sample = ArrayLike<number>

/** Neumaier's compensated sum: latency and cost sums mix large and tiny values, and the result is compared to 1e-9. */
export function sum(xs: Sample): number {
  let s = 0
  let c = 0
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]
    const t = s + x
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s
    s = t
  }
  return s + c
}

export function mean(xs: Sample): number | null {
  return xs.length === 0 ? null : sum(xs) / xs.length
}

/** Sample variance (n − 1), two-pass around the mean for stability. */
export function variance(xs: Sample): number | null {
  const n = xs.length
  if (n < 2) return null
  const m = sum(xs) / n
  let ss = 0
  let comp = 0
  for (let i = 0; i < n; i++) {
    const d = xs[i] - m
    ss += d * d
    comp += d
  }
  // The compensation term removes the rounding left in m (Chan, Golub & LeVeque's corrected two-pass).
  return (ss - (comp * comp) / n) / (n - 1)
}

export function std(xs: Sample): number | null {
  const v = variance(xs)
  return v === null ? null : Math.sqrt(v)
}

export function sorted(xs: Sample): Float64Array {
  return Float64Array.from(xs).sort()
}

/**
 * Quantile of an ascending sample by linear interpolation between order statistics
 * (Hyndman & Fan type 7, the default of R's quantile() and numpy.percentile):
 * h = (n − 1)p, Q = x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]).
 */
export function quantileSorted(asc: Sample, p: number): number | null {
  const n = asc.length
  if (n === 0 || !(p >= 0 && p <= 1)) return null
  const h = (n - 1) * p
  const lo = Math.floor(h)
  const hi = Math.min(lo + 1, n - 1)
  const frac = h - lo
  // Written as a + f(b − a), which is exact at f = 0 and monotone in p.
  return asc[lo] + frac * (asc[hi] - asc[lo])
}

export function quantile(xs: Sample, p: number): number | null {
  return quantileSorted(sorted(xs), p)
}

export function median(xs: Sample): number | null {
  return quantile(xs, 0.5)
}

/** Median absolute deviation from the median (unscaled). */
export function mad(xs: Sample): number | null {
  const m = median(xs)
  if (m === null) return null
  return median(Array.from(xs, (x) => Math.abs(x - m)))
}

export interface Summary {
  count: number
  sum: number
  mean: number | null
  std: number | null
  min: number | null
  max: number | null
  p50: number | null
  p75: number | null
  p90: number | null
  p95: number | null
  p99: number | null
}

export function summarize(xs: Sample): Summary {
  const asc = sorted(xs)
  const n = asc.length
  const q = (p: number) => quantileSorted(asc, p)
  return {
    count: n,
    sum: sum(asc),
    mean: mean(asc),
    std: std(asc),
    min: n ? asc[0] : null,
    max: n ? asc[n - 1] : null,
    p50: q(0.5),
    p75: q(0.75),
    p90: q(0.9),
    p95: q(0.95),
    p99: q(0.99),
  }
}

/** Central moments m2, m3, m4 (divided by n), the building blocks of skewness and kurtosis. */
function centralMoments(xs: Sample): { n: number; m2: number; m3: number; m4: number } {
  const n = xs.length
  const m = sum(xs) / n
  let m2 = 0
  let m3 = 0
  let m4 = 0
  for (let i = 0; i < n; i++) {
    const d = xs[i] - m
    const d2 = d * d
    m2 += d2
    m3 += d2 * d
    m4 += d2 * d2
  }
  return { n, m2: m2 / n, m3: m3 / n, m4: m4 / n }
}

/** Population (biased) skewness g1 = m3 / m2^1.5, the form used by the Jarque–Bera statistic. */
export function skewness(xs: Sample): number | null {
  if (xs.length < 3) return null
  const { m2, m3 } = centralMoments(xs)
  return m2 === 0 ? null : m3 / Math.pow(m2, 1.5)
}

/** Population excess kurtosis g2 = m4 / m2² − 3. */
export function excessKurtosis(xs: Sample): number | null {
  if (xs.length < 4) return null
  const { m2, m4 } = centralMoments(xs)
  return m2 === 0 ? null : m4 / (m2 * m2) - 3
}

/** Bias-corrected sample skewness G1 (Excel SKEW, SAS default), used by Sarle's coefficient. */
export function sampleSkewness(xs: Sample): number | null {
  const n = xs.length
  const g1 = skewness(xs)
  return g1 === null ? null : (g1 * Math.sqrt(n * (n - 1))) / (n - 2)
}

/** Bias-corrected sample excess kurtosis G2 (Excel KURT, SAS default). */
export function sampleExcessKurtosis(xs: Sample): number | null {
  const n = xs.length
  const g2 = excessKurtosis(xs)
  if (g2 === null) return null
  return ((n - 1) / ((n - 2) * (n - 3))) * ((n + 1) * g2 + 6)
}

/** First index in asc with asc[i] ≥ x (strict = false) or > x (strict = true). */
export function sortedBound(asc: Float64Array, x: number, strict: boolean): number {
  let lo = 0
  let hi = asc.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (strict ? asc[mid] <= x : asc[mid] < x) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * Ranks 1..n with ties given their average rank; also returns Σ(t³ − t) over tie groups.
 * A value's tie group occupies sorted positions [lower, upper), so its rank is (lower + upper + 1)/2.
 * Sorting a typed copy natively and binary-searching each value is several times faster than
 * sorting indices with a comparator (Mann–Whitney and Spearman rank 10⁵ values).
 */
export function averageRanks(xs: Sample): { ranks: Float64Array; tieTerm: number } {
  const n = xs.length
  const asc = sorted(xs)
  const ranks = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const x = xs[i]
    ranks[i] = (sortedBound(asc, x, false) + sortedBound(asc, x, true) + 1) / 2
  }
  let tieTerm = 0
  for (let i = 0; i < n; ) {
    let j = i
    while (j + 1 < n && asc[j + 1] === asc[i]) j++
    const t = j - i + 1
    tieTerm += t * t * t - t
    i = j + 1
  }
  return { ranks, tieTerm }
}
