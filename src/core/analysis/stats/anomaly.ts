import { mean, median, std, type Sample } from './descriptive'

export type Severity = 'low' | 'medium' | 'high'
export type Direction = 'both' | 'high' | 'low'

export interface Anomaly {
  /** Position in the input array, so the caller can map it back to a span id. */
  index: number
  value: number
  score: number
  severity: Severity
}

const passes = (score: number, direction: Direction, threshold: number) =>
  direction === 'high' ? score > threshold : direction === 'low' ? score < -threshold : Math.abs(score) > threshold

/**
 * Classic z-score z = (x − mean)/s flagged when |z| > threshold (default 2.5). Note that one
 * extreme value inflates s and can hide itself (masking); the robust variant below does not.
 * Severity: low above the threshold, medium above 1.5×, high above 2×.
 */
export function zScoreAnomalies(xs: Sample, opts: { threshold?: number; direction?: Direction } = {}): Anomaly[] {
  const threshold = opts.threshold ?? 2.5
  const direction = opts.direction ?? 'both'
  const m = mean(xs)
  const s = std(xs)
  if (m === null || s === null || s === 0) return []
  const out: Anomaly[] = []
  for (let i = 0; i < xs.length; i++) {
    const z = (xs[i] - m) / s
    if (!passes(z, direction, threshold)) continue
    const a = Math.abs(z)
    out.push({ index: i, value: xs[i], score: z, severity: a > 2 * threshold ? 'high' : a > 1.5 * threshold ? 'medium' : 'low' })
  }
  return out
}

export interface RobustOptions {
  direction?: Direction
  /** |M| above which a value is low / medium / high; Iglewicz & Hoaglin recommend 3.5 for "outlier". */
  levels?: { low: number; medium: number; high: number }
}

const MAD_SCALE = 0.6745 // Φ⁻¹(0.75): makes MAD estimate σ for normal data
const MEAN_AD_SCALE = 0.7979 // √(2/π): the same for the mean absolute deviation

/**
 * Modified z-score M = 0.6745·(x − median)/MAD (Iglewicz & Hoaglin, 1993). When more than half
 * the values are equal the MAD is 0; then the mean absolute deviation about the median is used,
 * M = 0.7979·(x − median)/MeanAD. If both are 0 every value equals the median: no anomalies.
 */
export function robustAnomalies(xs: Sample, opts: RobustOptions = {}): Anomaly[] {
  const levels = opts.levels ?? { low: 3.5, medium: 5, high: 8 }
  const direction = opts.direction ?? 'both'
  const med = median(xs)
  if (med === null) return []
  const dev = Array.from(xs, (x) => Math.abs(x - med))
  const madValue = median(dev) as number
  let scale: number
  if (madValue > 0) scale = MAD_SCALE / madValue
  else {
    const meanAd = mean(dev) as number
    if (meanAd === 0) return []
    scale = MEAN_AD_SCALE / meanAd
  }
  const out: Anomaly[] = []
  for (let i = 0; i < xs.length; i++) {
    const score = scale * (xs[i] - med)
    if (!passes(score, direction, levels.low)) continue
    const a = Math.abs(score)
    out.push({ index: i, value: xs[i], score, severity: a > levels.high ? 'high' : a > levels.medium ? 'medium' : 'low' })
  }
  return out
}
