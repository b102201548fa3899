import { mean, median, quantileSorted, std, type Sample } from './descriptive'
import { normalQuantile, studentTQuantile } from './distributions'
import { DEFAULT_RESAMPLES, DEFAULT_SEED, mulberry32, resampleInto } from './random'

export interface Interval {
  estimate: number
  lower: number
  upper: number
  level: number
}

export interface BootstrapOptions {
  level?: number
  resamples?: number
  seed?: number
}

/** mean ± t(1 − α/2, n − 1)·s/√n: exact under normality, and the usual large-sample interval otherwise. */
export function meanConfidenceInterval(xs: Sample, level = 0.95): Interval | null {
  const n = xs.length
  const m = mean(xs)
  const s = std(xs)
  if (m === null || s === null) return null
  const half = studentTQuantile(1 - (1 - level) / 2, n - 1) * (s / Math.sqrt(n))
  return { estimate: m, lower: m - half, upper: m + half, level }
}

/**
 * Percentile bootstrap: the statistic over B with-replacement resamples, cut at α/2 and
 * 1 − α/2 (type-7 quantiles of the B values). Seeded, hence reproducible.
 */
export function bootstrapInterval(xs: Sample, stat: (resample: Float64Array) => number, opts: BootstrapOptions = {}): Interval | null {
  const n = xs.length
  if (n < 2) return null
  const level = opts.level ?? 0.95
  const b = opts.resamples ?? DEFAULT_RESAMPLES
  const rng = mulberry32(opts.seed ?? DEFAULT_SEED)
  const buf = new Float64Array(n)
  const stats = new Float64Array(b)
  for (let i = 0; i < b; i++) stats[i] = stat(resampleInto(xs, buf, rng))
  stats.sort()
  return {
    estimate: stat(Float64Array.from(xs)),
    lower: quantileSorted(stats, (1 - level) / 2) as number,
    upper: quantileSorted(stats, 1 - (1 - level) / 2) as number,
    level,
  }
}

export function medianConfidenceInterval(xs: Sample, opts: BootstrapOptions = {}): Interval | null {
  return bootstrapInterval(xs, (r) => median(r) as number, opts)
}

/**
 * Bootstrap interval of mean(candidate) − mean(baseline): each side is resampled on its own,
 * as the two samples are independent. The baseline is drawn first from the stream.
 */
export function bootstrapMeanDifference(baseline: Sample, candidate: Sample, opts: BootstrapOptions = {}): Interval | null {
  if (baseline.length < 2 || candidate.length < 2) return null
  const level = opts.level ?? 0.95
  const b = opts.resamples ?? DEFAULT_RESAMPLES
  const rng = mulberry32(opts.seed ?? DEFAULT_SEED)
  const bb = new Float64Array(baseline.length)
  const cb = new Float64Array(candidate.length)
  const diffs = new Float64Array(b)
  for (let i = 0; i < b; i++) {
    resampleInto(baseline, bb, rng)
    resampleInto(candidate, cb, rng)
    diffs[i] = (mean(cb) as number) - (mean(bb) as number)
  }
  diffs.sort()
  return {
    estimate: (mean(candidate) as number) - (mean(baseline) as number),
    lower: quantileSorted(diffs, (1 - level) / 2) as number,
    upper: quantileSorted(diffs, 1 - (1 - level) / 2) as number,
    level,
  }
}

/** Wilson score interval for a proportion: sane at 0 and n successes, unlike the Wald interval. */
export function wilsonInterval(successes: number, n: number, level = 0.95): Interval | null {
  if (n <= 0) return null
  const z = normalQuantile(1 - (1 - level) / 2)
  const p = successes / n
  const z2n = (z * z) / n
  const centre = (p + z2n / 2) / (1 + z2n)
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n))) / (1 + z2n)
  // At 0 and n successes the bound is exactly 0 or 1; rounding would leave ±1e-17.
  return { estimate: p, lower: successes === 0 ? 0 : Math.max(0, centre - half), upper: successes === n ? 1 : Math.min(1, centre + half), level }
}
