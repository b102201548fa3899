import type { RunAnalysis, RunComparison } from '../../../shared/analysis-dto'
import type { RunOverview } from '../../../shared/dto'
import type { ChartSpec } from '../../../shared/report-model'
import * as f from '../../analysis/format'

// The charts of a report, each built from the analysis result (never from the rows again), so
// the chart and the table beside it show the same numbers.

const base = (id: string, kind: ChartSpec['kind'], title: string, caption: string): ChartSpec => ({
  id, kind, title, caption, unit: '', xType: 'category', xLabel: '', yLabel: '', categories: [], yCategories: [], series: [], gauge: null,
})

const round = (x: number, digits = 6) => Number(x.toFixed(digits))

export function runCharts(a: RunAnalysis, overview: RunOverview): ChartSpec[] {
  const charts: ChartSpec[] = []
  const agents = [...a.attribution.byAgent].sort((x, y) => y.own.costUsd - x.own.costUsd).slice(0, 15)
  if (agents.length) {
    charts.push({
      ...base('cost-by-agent', 'bar', 'Cost by agent', `own calls of each agent; total ${f.usd(a.attribution.totalCostUsd)}`),
      unit: 'USD', yLabel: 'cost', categories: agents.map((g) => g.name), series: [{ name: 'own cost', values: agents.map((g) => round(g.own.costUsd)) }],
    })
  }
  const models = a.attribution.byModel.filter((m) => m.costUsd > 0)
  if (models.length) {
    charts.push({
      ...base('cost-by-model', 'pie', 'Cost by model', `${models.length} priced model${models.length === 1 ? '' : 's'}`),
      unit: 'USD', categories: models.map((m) => m.model), series: [{ name: 'cost', values: models.map((m) => round(m.costUsd)) }],
    })
  }
  const h = a.llm.latencyMs.histogram
  if (h) {
    charts.push({
      ...base('llm-latency', 'histogram', 'LLM call latency', `${a.llm.latencyMs.summary.count} calls, ${h.rule} bins of ${f.ms(h.binWidth)}; looks ${a.llm.latencyMs.shape.kind}`),
      unit: 'calls', xLabel: 'latency', yLabel: 'calls',
      categories: h.counts.map((_, i) => `${f.ms(h.edges[i])}–${f.ms(h.edges[i + 1])}`),
      series: [{ name: 'calls', values: h.counts }],
    })
  }
  if (overview.tokensOverTime.length > 1) {
    const pts = (key: 'inputTokens' | 'outputTokens' | 'cacheCreationTokens' | 'cacheReadTokens') =>
      overview.tokensOverTime.map((p) => [p.t, p[key] ?? 0] as [number, number])
    charts.push({
      ...base('tokens-over-time', 'area', 'Tokens over time', `LLM tokens per ${f.ms(overview.bucketMs)} bucket, stacked`),
      unit: 'tokens', xType: 'time', xLabel: 'time', yLabel: 'tokens',
      series: [
        { name: 'cache read', points: pts('cacheReadTokens') },
        { name: 'cache write', points: pts('cacheCreationTokens') },
        { name: 'input', points: pts('inputTokens') },
        { name: 'output', points: pts('outputTokens') },
      ],
    })
  }
  const tools = a.tools.filter((t) => t.summary.count > 0).slice(0, 12)
  if (tools.length) {
    const qs = ['p50', 'p75', 'p90', 'p95', 'p99'] as const
    charts.push({
      ...base('tool-latency', 'heatmap', 'Tool latency percentiles', 'milliseconds per call, by tool'),
      unit: 'ms', categories: [...qs], yCategories: tools.map((t) => t.tool),
      series: [{ name: 'latency', cells: tools.flatMap((t, y) => qs.map((q, x) => [x, y, t.summary[q] === null ? null : Math.round(t.summary[q] as number)] as [number, number, number | null])) }],
    })
  }
  if (a.cache.hitRatio !== null) {
    charts.push({
      ...base('cache-hit', 'gauge', 'Prompt cache hit ratio', `cache reads over all prompt tokens; saved ${f.usd(a.cache.savedUsd)}`),
      unit: '%', yLabel: 'hit ratio', series: [{ name: 'hit ratio' }], gauge: { value: round(a.cache.hitRatio * 100, 1), min: 0, max: 100 },
    })
  }
  return charts
}

export interface GroupRunPoint {
  name: string
  startedMs: number | null
  costUsd: number
  wallMs: number
  llmP95Ms: number | null
}

export function groupCharts(runs: GroupRunPoint[]): ChartSpec[] {
  const charts: ChartSpec[] = [{
    ...base('cost-per-run', 'bar', 'Cost per run', `${runs.length} runs`),
    unit: 'USD', yLabel: 'cost', categories: runs.map((r) => r.name), series: [{ name: 'cost', values: runs.map((r) => round(r.costUsd)) }],
  }]
  const timed = runs.filter((r) => r.startedMs !== null)
  if (timed.length > 1) {
    charts.push({
      ...base('wall-per-run', 'line', 'Wall time per run', 'by start time'),
      unit: 's', xType: 'time', xLabel: 'run start', yLabel: 'wall time',
      series: [{ name: 'wall time', points: timed.map((r) => [r.startedMs as number, round(r.wallMs / 1000, 3)]) }],
    })
    const p95 = timed.filter((r) => r.llmP95Ms !== null)
    if (p95.length > 1) {
      charts.push({
        ...base('llm-p95-per-run', 'scatter', 'LLM latency p95 per run', 'by start time'),
        unit: 'ms', xType: 'time', xLabel: 'run start', yLabel: 'p95',
        series: [{ name: 'p95', points: p95.map((r) => [r.startedMs as number, Math.round(r.llmP95Ms as number)]) }],
      })
    }
  }
  return charts
}

export function comparisonCharts(comparisons: (RunComparison & { candidateRef: string })[]): ChartSpec[] {
  if (comparisons.length === 0) return []
  const metrics = comparisons[0].metrics.map((m) => m.label)
  const charts: ChartSpec[] = [{
    ...base('change-by-metric', 'bar', 'Change against the baseline', 'relative change of the mean, per metric'),
    unit: '%', yLabel: 'change', categories: metrics,
    series: comparisons.map((c) => ({ name: c.candidateRef, values: c.metrics.map((m) => (m.changePct === null ? null : round(m.changePct, 2))) })),
  }]
  const rows = comparisons[0].breakdown.byCost.filter((r) => r.deltaCostUsd !== 0).slice(0, 12)
  if (rows.length) {
    charts.push({
      ...base('cost-change-breakdown', 'bar', `Where the cost changed (${comparisons[0].candidateRef})`, 'change of cost per run, by agent, tool and model'),
      unit: 'USD', yLabel: 'Δ cost per run', categories: rows.map((r) => `${r.dimension}: ${r.key}`), series: [{ name: 'Δ cost', values: rows.map((r) => round(r.deltaCostUsd)) }],
    })
  }
  return charts
}
