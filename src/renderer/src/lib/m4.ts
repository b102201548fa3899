import type { Series } from '../../../shared/spans-dto'

// Turns the core's per-pixel buckets back into a line: first, min, max, last of each bucket in
// time order (min and max in the order they occur is unknown, so min then max). The picture
// equals the line through every point at one pixel per bucket.

export function m4Points(s: Series): [number, number][] {
  const out: [number, number][] = []
  for (let i = 0; i < s.t.length; i++) {
    const t = s.t[i]
    const mid = t + s.bucketMs / 2
    out.push([t, s.first[i]])
    if (s.count[i] > 2) {
      out.push([mid, s.min[i]])
      out.push([mid, s.max[i]])
    }
    if (s.count[i] > 1) out.push([t + s.bucketMs * 0.99, s.last[i]])
  }
  return out
}

/** Running total of each bucket's sum: the cumulative cost curve. */
export function cumulative(s: Series): [number, number][] {
  let total = 0
  return s.t.map((t, i) => [t + s.bucketMs, (total += s.sum[i])])
}
