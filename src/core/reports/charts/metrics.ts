import type { Database } from 'better-sqlite3'
import type { ChartKind, ChartSpec } from '../../../shared/report-model'
import { CoreError } from '../../../shared/result'
import * as f from '../../analysis/format'
import { latencyOf, loadAgents, loadSpans, type SpanRow, tokensOf } from '../../analysis/span-data'
import { histogram, median, quantile, quantileSorted, sorted } from '../../analysis/stats'
import { metricQuantiles } from '../../queries/metric-quantiles'

// `swarmscope visualize`: any chart kind over one metric of a run. A metric is a list of
// observations (time, value, category); each chart kind is one way of summarising them.

interface Observation {
  t: number
  value: number
  category: string
}

interface MetricDef {
  label: string
  unit: string
  /** How bar and pie charts combine a category's values. */
  aggregate: 'sum' | 'mean'
  categoryName: string
  observe(spans: SpanRow[], agentName: (id: string | null) => string): Observation[]
}

const at = (s: SpanRow) => s.startMs ?? s.endMs ?? 0

const SPAN_METRICS: Record<string, MetricDef> = {
  llm_latency_ms: {
    label: 'LLM latency', unit: 'ms', aggregate: 'mean', categoryName: 'model',
    observe: (spans) => spans.flatMap((s) => (s.kind === 'llm' && latencyOf(s) !== null ? [{ t: at(s), value: latencyOf(s) as number, category: s.model ?? s.name }] : [])),
  },
  tool_latency_ms: {
    label: 'Tool latency', unit: 'ms', aggregate: 'mean', categoryName: 'tool',
    observe: (spans) => spans.flatMap((s) => (s.kind === 'tool' && latencyOf(s) !== null ? [{ t: at(s), value: latencyOf(s) as number, category: s.name }] : [])),
  },
  tokens_per_llm_call: {
    label: 'Tokens per LLM call', unit: 'tokens', aggregate: 'mean', categoryName: 'model',
    observe: (spans) => spans.flatMap((s) => (s.kind === 'llm' && tokensOf(s) !== null ? [{ t: at(s), value: tokensOf(s) as number, category: s.model ?? s.name }] : [])),
  },
  output_tokens: {
    label: 'Output tokens', unit: 'tokens', aggregate: 'sum', categoryName: 'agent',
    observe: (spans, name) => spans.flatMap((s) => (s.kind === 'llm' && s.outputTokens !== null ? [{ t: at(s), value: s.outputTokens, category: name(s.agentId) }] : [])),
  },
  cost_usd: {
    label: 'Cost', unit: 'USD', aggregate: 'sum', categoryName: 'agent',
    observe: (spans, name) => spans.flatMap((s) => (s.kind === 'llm' && s.costUsd !== null ? [{ t: at(s), value: s.costUsd, category: name(s.agentId) }] : [])),
  },
}

function sampleMetric(db: Database, runId: string, name: string): { def: MetricDef; obs: Observation[] } | null {
  const rows = db.prepare('SELECT ts, value, labels, unit FROM metric_samples WHERE run_id = ? AND name = ? ORDER BY ts').all(runId, name) as { ts: number; value: number; labels: string; unit: string | null }[]
  if (rows.length === 0) return null
  const def: MetricDef = { label: name, unit: rows[0].unit ?? '', aggregate: 'mean', categoryName: 'labels', observe: () => [] }
  return { def, obs: rows.map((r) => ({ t: r.ts, value: r.value, category: r.labels === '{}' ? name : r.labels })) }
}

/** What `visualize` can draw for a run, with each metric's percentiles (the UI's export dialog lists them). */
export function chartMetrics(db: Database, runId: string) {
  const spans = loadSpans(db, [runId])
  const fromSpans = Object.entries(SPAN_METRICS).map(([metric, d]) => {
    const xs = sorted(d.observe(spans, (x) => x ?? '').map((o) => o.value))
    const [p50, p95, p99] = [0.5, 0.95, 0.99].map((p) => quantileSorted(xs, p))
    return { metric, label: d.label, unit: d.unit, source: 'spans' as const, observations: xs.length, p50, p95, p99 }
  })
  const samples = db.prepare('SELECT name, MAX(unit) AS unit FROM metric_samples WHERE run_id = ? GROUP BY name ORDER BY name').all(runId) as { name: string; unit: string | null }[]
  const fromSamples = samples.filter((s) => !SPAN_METRICS[s.name]).map((s) => {
    // Stored samples can be millions: their percentiles come from the index, not from memory.
    const q = metricQuantiles(db, runId, s.name, [0.5, 0.95, 0.99])
    return { metric: s.name, label: s.name, unit: s.unit ?? '', source: 'metric_samples' as const, observations: q.count, p50: q.values[0], p95: q.values[1], p99: q.values[2] }
  })
  return [...fromSpans, ...fromSamples]
}

/** Keeps at most `max` points, evenly spaced in order: a deterministic thinning for scatter plots. */
const thin = <T>(xs: T[], max: number) => (xs.length <= max ? xs : Array.from({ length: max }, (_, i) => xs[Math.floor((i * xs.length) / max)]))

/** Means over equal time buckets: a line gets at most `buckets` points whatever the run's size. */
function bucketMeans(obs: Observation[], buckets: number): [number, number][] {
  if (obs.length <= buckets) return obs.map((o) => [o.t, o.value])
  const t0 = obs[0].t
  const width = Math.max(1, (obs[obs.length - 1].t - t0) / buckets)
  const acc = new Map<number, [number, number]>()
  for (const o of obs) {
    const b = Math.min(buckets - 1, Math.floor((o.t - t0) / width))
    const a = acc.get(b) ?? [0, 0]
    a[0] += o.value
    a[1]++
    acc.set(b, a)
  }
  return [...acc].sort((a, b) => a[0] - b[0]).map(([b, [s, n]]) => [t0 + (b + 0.5) * width, s / n])
}

function byCategory(obs: Observation[]): Map<string, Observation[]> {
  const out = new Map<string, Observation[]>()
  for (const o of obs) (out.get(o.category) ?? out.set(o.category, []).get(o.category)!).push(o)
  return new Map([...out].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
}

export function metricChart(db: Database, runId: string, kind: ChartKind, metric: string, width: number): ChartSpec {
  let def = SPAN_METRICS[metric]
  let obs: Observation[]
  if (def) {
    const names = new Map(loadAgents(db, [runId]).map((a) => [a.id, a.name]))
    obs = def.observe(loadSpans(db, [runId]), (id) => (id === null ? '(no agent)' : (names.get(id) ?? id)))
  } else {
    const s = sampleMetric(db, runId, metric)
    if (!s) throw new CoreError('not_found', `run ${runId} has no metric "${metric}"; known: ${[...Object.keys(SPAN_METRICS), ...(db.prepare('SELECT DISTINCT name FROM metric_samples WHERE run_id = ?').pluck().all(runId) as string[])].join(', ')}`)
    def = s.def
    obs = s.obs
  }
  if (obs.length === 0) throw new CoreError('not_found', `run ${runId} has no values of ${metric}`)
  obs.sort((a, b) => a.t - b.t)
  const groups = byCategory(obs)
  const cats = [...groups.keys()]
  const values = obs.map((o) => o.value)
  const agg = (xs: Observation[]) => (def.aggregate === 'sum' ? xs.reduce((t, o) => t + o.value, 0) : xs.reduce((t, o) => t + o.value, 0) / xs.length)
  const spec: ChartSpec = {
    id: metric.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'metric', kind, title: `${def.label} — ${kind}`, caption: `${obs.length} observations`,
    unit: def.unit, xType: 'time', xLabel: 'time', yLabel: def.label, categories: [], yCategories: [], series: [], gauge: null,
  }
  const perPixel = Math.max(10, Math.floor(width / 2))
  switch (kind) {
    case 'line':
      return { ...spec, caption: `${spec.caption}; one line per ${def.categoryName}, bucket means`, series: cats.map((c) => ({ name: c, points: bucketMeans(groups.get(c)!, perPixel) })) }
    case 'area': {
      // Cumulative: the area under each category grows by every value it adds.
      const series = cats.map((c) => {
        let run = 0
        const pts = groups.get(c)!.map((o) => [o.t, (run += o.value)] as [number, number])
        return { name: c, points: thin(pts, perPixel) }
      })
      return { ...spec, title: `${def.label} — cumulative`, caption: `${spec.caption}; running total per ${def.categoryName}`, series }
    }
    case 'scatter':
      return { ...spec, caption: `${spec.caption}; at most 2,000 points per ${def.categoryName}`, series: cats.map((c) => ({ name: c, points: thin(groups.get(c)!.map((o) => [o.t, o.value] as [number, number]), 2000) })) }
    case 'bar':
    case 'pie':
      return { ...spec, xType: 'category', xLabel: def.categoryName, caption: `${spec.caption}; ${kind === 'pie' ? 'sum' : def.aggregate} per ${def.categoryName}`, categories: cats, series: [{ name: def.label, values: cats.map((c) => (kind === 'pie' ? groups.get(c)!.reduce((t, o) => t + o.value, 0) : agg(groups.get(c)!))) }] }
    case 'histogram': {
      const h = histogram(values)!
      const label = (x: number) => (def.unit === 'ms' ? f.ms(x) : f.num(x, 3))
      return { ...spec, xType: 'category', xLabel: def.label, yLabel: 'count', unit: 'count', caption: `${spec.caption}; ${h.rule} bins`, categories: h.counts.map((_, i) => `${label(h.edges[i])}–${label(h.edges[i + 1])}`), series: [{ name: def.label, values: h.counts }] }
    }
    case 'heatmap': {
      const buckets = 24
      const t0 = obs[0].t
      const w = Math.max(1, (obs[obs.length - 1].t - t0 + 1) / buckets)
      const cells = cats.flatMap((c, y) => {
        const acc = Array.from({ length: buckets }, () => [] as Observation[])
        for (const o of groups.get(c)!) acc[Math.min(buckets - 1, Math.floor((o.t - t0) / w))].push(o)
        return acc.map((xs, x) => [x, y, xs.length ? Number(agg(xs).toPrecision(4)) : null] as [number, number, number | null])
      })
      return { ...spec, xType: 'category', xLabel: `time (${f.ms(w)} buckets)`, yLabel: def.categoryName, caption: `${spec.caption}; ${def.aggregate} per ${def.categoryName} and time bucket`, categories: Array.from({ length: buckets }, (_, i) => f.ms(i * w)), yCategories: cats, series: [{ name: def.label, cells }] }
    }
    case 'gauge': {
      const med = median(values) as number
      return { ...spec, title: `${def.label} — median`, caption: `${spec.caption}; dial from the minimum to the p99`, series: [{ name: def.label }], gauge: { value: Number(med.toPrecision(4)), min: Number(values.reduce((m, v) => Math.min(m, v), Infinity).toPrecision(4)), max: Number((quantile(values, 0.99) as number).toPrecision(4)) } }
    }
  }
}
