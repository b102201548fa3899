import { quantileSorted, sorted, type Sample } from './descriptive'

export interface Histogram {
  /** bins + 1 ascending edges; bin i is [edges[i], edges[i+1]), the last one closed. */
  edges: number[]
  counts: number[]
  binWidth: number
  rule: 'freedman-diaconis' | 'sturges' | 'single'
}

/**
 * Freedman–Diaconis bin width h = 2·IQR·n^(−1/3): robust to the long tails of latency data,
 * where Sturges would put nearly everything in one bin. When the IQR is 0 (over half the values
 * equal), Sturges' ⌈log₂ n⌉ + 1 bins over the range is used instead. Bins are capped at maxBins.
 */
export function histogram(xs: Sample, maxBins = 100): Histogram | null {
  const asc = sorted(xs)
  const n = asc.length
  if (n === 0) return null
  const min = asc[0]
  const max = asc[n - 1]
  if (max === min) return { edges: [min, max], counts: [n], binWidth: 0, rule: 'single' }
  const iqr = (quantileSorted(asc, 0.75) as number) - (quantileSorted(asc, 0.25) as number)
  let rule: Histogram['rule'] = 'freedman-diaconis'
  let bins: number
  if (iqr > 0) bins = Math.ceil((max - min) / ((2 * iqr) / Math.cbrt(n)))
  else {
    rule = 'sturges'
    bins = Math.ceil(Math.log2(n)) + 1
  }
  bins = Math.max(1, Math.min(maxBins, bins))
  const width = (max - min) / bins
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + i * width))
  const counts = new Array<number>(bins).fill(0)
  for (let i = 0; i < n; i++) {
    let k = Math.min(bins - 1, Math.floor((asc[i] - min) / width))
    // Division rounding can land a value one bin off its edges; the edges are the truth.
    while (k > 0 && asc[i] < edges[k]) k--
    while (k < bins - 1 && asc[i] >= edges[k + 1]) k++
    counts[k]++
  }
  return { edges, counts, binWidth: width, rule }
}
