import type { BatchBuilder } from './batch'
import { arr, attrsOf, isObj, labelsOf, nanosToMs, numberOf, str } from './values'

/** session.id picks the run (see BatchBuilder.runFor): as a label it would only split every series by run. */
const NOT_LABELS = new Set(['session.id'])

/**
 * Metric data points → samples. Sums and gauges give one sample per point; histograms,
 * exponential histograms and summaries give `<name>.count` and `<name>.sum` (and `.min`,
 * `.max` when present): the buckets themselves are not kept.
 */
export function mapMetrics(b: BatchBuilder, resourceMetrics: unknown): void {
  for (const rm of arr(resourceMetrics)) {
    if (!isObj(rm)) continue
    const resource = isObj(rm.resource) ? attrsOf(rm.resource.attributes) : {}
    for (const sm of [...arr(rm.scopeMetrics), ...arr(rm.instrumentationLibraryMetrics)]) {
      if (!isObj(sm)) continue
      for (const m of arr(sm.metrics)) {
        const name = isObj(m) ? str(m.name) : null
        if (!isObj(m) || !name) {
          b.problem('metric without a name')
          continue
        }
        const unit = str(m.unit)
        const scalar = isObj(m.sum) ? m.sum : isObj(m.gauge) ? m.gauge : null
        const distribution = isObj(m.histogram) ? m.histogram : isObj(m.exponentialHistogram) ? m.exponentialHistogram : isObj(m.summary) ? m.summary : null
        const points = arr((scalar ?? distribution ?? {}).dataPoints)
        points.forEach((dp, i) => {
          const ts = isObj(dp) ? nanosToMs(dp.timeUnixNano) : null
          if (!isObj(dp) || ts === null) return b.problem(`metric ${name}: data point ${i} has no timeUnixNano`)
          const attrs = attrsOf(dp.attributes)
          const runId = b.runFor(resource, attrs)
          const labels = labelsOf(attrs, NOT_LABELS)
          const put = (n: string, value: number | null, u: string | null) => {
            if (value !== null) b.batch.metrics.push({ runId, name: n, unit: u, ts, value, labels })
          }
          if (scalar) {
            const value = numberOf(dp.asDouble) ?? numberOf(dp.asInt)
            if (value === null) b.problem(`metric ${name}: data point ${i} has no asDouble/asInt`)
            put(name, value, unit)
          } else {
            put(`${name}.count`, numberOf(dp.count), null)
            put(`${name}.sum`, numberOf(dp.sum), unit)
            put(`${name}.min`, numberOf(dp.min), unit)
            put(`${name}.max`, numberOf(dp.max), unit)
          }
        })
      }
    }
  }
}
