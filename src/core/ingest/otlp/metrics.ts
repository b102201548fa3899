import type { BatchBuilder } from './batch'
import { FieldError, double, int64, isoOf, msOf, nanos, optObj, optStr, type JsonPath } from './fields'
import { attrsOf, isObj, labelsOf, resourceOf } from './values'

/** session.id picks the run (see BatchBuilder.runFor): as a label it would only split every series by run. */
const NOT_LABELS = new Set(['session.id'])
const KINDS = ['sum', 'gauge', 'histogram', 'exponentialHistogram', 'summary'] as const
type Kind = (typeof KINDS)[number]

/**
 * Metric data points → samples. Sums and gauges give one sample per point; histograms,
 * exponential histograms and summaries give `<name>.count` and `<name>.sum` (and `.min`,
 * `.max` when present): the buckets themselves are not kept.
 */
export function mapMetrics(b: BatchBuilder, req: Record<string, unknown>): void {
  b.each(req, ['resourceMetrics'], [], () => null, (rm, at) => {
    const resource = resourceOf(rm, at)
    b.each(rm, ['scopeMetrics', 'instrumentationLibraryMetrics'], at, () => null, (sm, at) => {
      const subject = (m: unknown, i: number) => (isObj(m) && typeof m.name === 'string' && m.name !== '' ? `metric ${m.name}` : `metric ${i}`)
      b.each(sm, ['metrics'], at, subject, (m, at) => {
        const name = optStr(m, 'name', at)
        if (!name) throw new FieldError([...at, 'name'], 'has no name')
        const unit = optStr(m, 'unit', at)
        // A metric holds one kind of data; each present one is type-checked, the first is read.
        const data = KINDS.map((k) => [k, optObj(m, k, at)] as const).find(([, d]) => d !== null)
        if (!data) return
        const [kind, points] = data
        b.each(points!, ['dataPoints'], [...at, kind], (_dp, i) => `metric ${name}: data point ${i}`, (dp, at) => {
          const samples = samplesOf(dp, at, kind, name, unit)
          const attrs = attrsOf(dp, at)
          const runId = b.runFor(resource, attrs)
          const labels = labelsOf(attrs, NOT_LABELS)
          for (const s of samples) b.batch.metrics.push({ runId, ...s, labels })
        })
      })
    })
  })
}

interface Sample {
  name: string
  unit: string | null
  ts: number
  value: number
}

/**
 * NaN, Infinity and -Infinity are valid proto3 doubles and are read as such, but the point is
 * left out with a reason saying so: a sample is stored as REAL NOT NULL (SQLite stores NaN as
 * NULL, which would fail the whole import) and one infinite sample turns every sum, mean and
 * chart of its series into Infinity. Producers send NaN for "nothing measured this time", so
 * nothing measured is lost, and the skipped list keeps the point visible.
 */
function finite(value: number, field: string, at: JsonPath): number {
  if (!Number.isFinite(value)) throw new FieldError([...at, field], `${field} is ${String(value)}: not stored, as it would make every sum and average of the series ${String(value)}`)
  return value
}

function samplesOf(dp: Record<string, unknown>, at: JsonPath, kind: Kind, name: string, unit: string | null): Sample[] {
  const time = nanos(dp, 'timeUnixNano', at)
  const ts = msOf(time)
  if (time === null || ts === null) throw new FieldError([...at, 'timeUnixNano'], 'no timeUnixNano')
  const start = nanos(dp, 'startTimeUnixNano', at)
  // A point covers startTimeUnixNano → timeUnixNano, which cannot run backwards. A gauge's start
  // time is ignored by the data model, so it is only type-checked.
  if (kind !== 'gauge' && start !== null && start > time) {
    throw new FieldError([...at, 'startTimeUnixNano'], `startTimeUnixNano ${isoOf(start)} is after timeUnixNano ${isoOf(time)}`)
  }
  if (kind === 'sum' || kind === 'gauge') {
    const asDouble = double(dp, 'asDouble', at)
    const asInt = int64(dp, 'asInt', at)
    if (asDouble !== null) return [{ name, unit, ts, value: finite(asDouble, 'asDouble', at) }]
    if (asInt !== null) return [{ name, unit, ts, value: asInt }]
    throw new FieldError(at, 'has no asDouble/asInt')
  }
  const count = int64(dp, 'count', at, true)
  const stats = (['sum', 'min', 'max'] as const).map((f) => [f, double(dp, f, at)] as const)
  const out: Sample[] = count === null ? [] : [{ name: `${name}.count`, unit: null, ts, value: count }]
  for (const [f, v] of stats) if (v !== null) out.push({ name: `${name}.${f}`, unit, ts, value: finite(v, f, at) })
  return out
}
