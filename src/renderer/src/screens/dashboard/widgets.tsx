import { useCallback, useMemo } from 'react'
import type { RunAnalysis } from '../../../../shared/analysis-dto'
import type { RunOverview } from '../../../../shared/dto'
import { duration, exact, usd } from '../../../../shared/format'
import type { Breakdown, Series, SeriesMetric } from '../../../../shared/spans-dto'
import { agentActivity, costByModel, efficiencyGauges, latencyHistogram, latencyVsTokens, tokensPerAgent, toolCalls } from '../../charts/breakdown-charts'
import { EChart } from '../../charts/EChart'
import type { ChartOption, ECharts } from '../../charts/echarts'
import { anomalyPoints, criticalBands, latencyTrendLine, timePins, type Located } from '../../charts/insight-marks'
import type { ChartTheme } from '../../charts/theme'
import { cumulativeArea, lineOverTime, type TimeOverlays } from '../../charts/time-charts'
import { useDashboard, type WidgetLayout, type WidgetType } from '../../stores/dashboard'
import { chartHeight } from './Widget'
import { pixelWidth, useSeries } from './use-series'

export const WIDGET_TITLES: Record<WidgetType, string> = {
  'tokens-over-time': 'Tokens per LLM call over time',
  'latency-over-time': 'LLM latency over time',
  'cumulative-cost': 'Cumulative cost',
  'tokens-per-agent': 'Tokens per agent',
  'tool-calls': 'Calls per tool',
  'latency-vs-tokens': 'Latency vs tokens per LLM call',
  'cost-by-model': 'Cost by model',
  'latency-histogram': 'LLM latency distribution',
  'agent-activity': 'Agent activity over time',
  efficiency: 'Cache and parallelism',
  'agents-table': 'Agents',
}

/** What the widgets draw; each part arrives on its own, and a widget waits only for its part. */
export interface WidgetData {
  runId: string
  overview: RunOverview | null
  breakdown: Breakdown | null
  breakdownError: string | null
  analysis: RunAnalysis | null
  /** The spans the analysis names, placed in time (after the analysis). */
  located: Located | null
}

/** A click on an insight's pin, band or slice opens that insight in the side list. */
function onInsightClick(chart: ECharts) {
  chart.on('click', (p) => {
    const rank = (p as { data?: { insightRank?: number } }).data?.insightRank
    if (rank) useDashboard.getState().focusInsight(rank)
  })
}

/** Zooming a time chart sets the dashboard's time range; every time chart then reads that window. */
function onZoom(chart: ECharts) {
  onInsightClick(chart)
  let timer = 0
  chart.on('datazoom', () => {
    window.clearTimeout(timer)
    timer = window.setTimeout(() => {
      const opt = chart.getOption() as { dataZoom?: { start: number; end: number }[]; xAxis?: { min: number; max: number }[] }
      const z = opt.dataZoom?.[0]
      const axis = opt.xAxis?.[0]
      if (!z || !axis || (z.start === 0 && z.end === 100)) return
      const span = axis.max - axis.min
      useDashboard.getState().setRange([Math.round(axis.min + (span * z.start) / 100), Math.round(axis.min + (span * z.end) / 100)])
    }, 250)
  })
}

/** Cumulative cost at a time: the running total up to the end of the bucket holding it. */
function cumulativeAt(s: Series, at: number): number {
  let total = 0
  for (let i = 0; i < s.t.length && s.t[i] <= at; i++) total += s.sum[i]
  return total
}

/** The analysis over a time chart; nothing until the named spans are located (one redraw, not two). */
function overlays(metric: SeriesMetric | 'cumulative-cost', s: Series, a: RunAnalysis | null, located: Located | null, t: ChartTheme): TimeOverlays {
  if (!a || !located) return {}
  if (metric === 'latency') return { anomalies: anomalyPoints(a, located, 'llm'), bands: criticalBands(a, located, t), series: latencyTrendLine(a, s.fromMs, s.toMs, t) }
  if (metric === 'tokens') return { series: timePins(a, located, ['token-concentration'], (x) => x.tokens, t) }
  if (metric === 'cumulative-cost') return { series: timePins(a, located, ['cost-share-agent', 'cost-share-model'], (x) => cumulativeAt(s, x.endMs ?? x.startMs ?? 0), t) }
  return {}
}

function TimeLine({ d, l, metric, label, testId }: { d: WidgetData; l: WidgetLayout; metric: SeriesMetric; label: string; testId: string }) {
  const range = useDashboard((s) => s.range)
  const { series, error } = useSeries(d.runId, metric, range, pixelWidth(l.w))
  // The overlays need the located spans: until then the analysis alone would redraw for nothing.
  const located = d.located
  const analysis = located ? d.analysis : null
  const option = useCallback((t: ChartTheme) => (series ? lineOverTime(series, label, t, overlays(metric, series, analysis, located, t)) : {}), [series, label, metric, analysis, located])
  const table = useCallback(() => ({ header: ['bucket_start_ms', 'first', 'last', 'min', 'max', 'sum', 'count'], rows: series ? series.t.map((t, i) => [t, series.first[i], series.last[i], series.min[i], series.max[i], series.sum[i], series.count[i]]) : [] }), [series])
  if (error) return <p className="error">{error}</p>
  if (!series) return <p className="muted loading">Loading…</p>
  if (series.points === 0) return <p className="muted">No LLM calls with times in this run.</p>
  return <EChart deferred option={option} height={chartHeight(l.h)} testId={testId} title={label} onReady={onZoom} table={table} />
}

function CostArea({ d, l }: { d: WidgetData; l: WidgetLayout }) {
  const range = useDashboard((s) => s.range)
  const { series, error } = useSeries(d.runId, 'cost', range, pixelWidth(l.w))
  const located = d.located
  const analysis = located ? d.analysis : null
  const option = useCallback((t: ChartTheme) => (series ? cumulativeArea(series, 'Cost', overlays('cumulative-cost', series, analysis, located, t)) : {}), [series, analysis, located])
  const table = useCallback(() => ({ header: ['bucket_start_ms', 'cost_usd'], rows: series ? series.t.map((t, i) => [t, series.sum[i]]) : [] }), [series])
  if (error) return <p className="error">{error}</p>
  if (!series) return <p className="muted loading">Loading…</p>
  return <EChart deferred option={option} height={chartHeight(l.h)} testId="chart-cumulative-cost" title="Cumulative cost" onReady={onZoom} table={table} />
}

function AgentsTable({ d }: { d: WidgetData }) {
  const o = d.overview
  if (!o) return <p className="muted loading">Loading…</p>
  return (
    <div className="table-scroll">
      <table className="agents" data-testid="agents-table">
        <thead>
          <tr><th>Agent</th><th>Type</th><th>Parent</th><th>LLM calls</th><th>Tool calls</th><th>Input</th><th>Output</th><th>Cache write</th><th>Cache read</th><th>Cost</th></tr>
        </thead>
        <tbody>
          {o.agents.map((a) => (
            <tr key={a.id} data-agent-id={a.id}>
              <td>{a.name}</td><td>{a.type ?? ''}</td><td>{a.parentAgentId ?? ''}</td><td>{exact(a.llmCalls)}</td><td>{exact(a.toolCalls)}</td>
              <td>{exact(a.inputTokens)}</td><td>{exact(a.outputTokens)}</td><td>{exact(a.cacheCreationTokens)}</td><td>{exact(a.cacheReadTokens)}</td><td>{usd(a.costUsd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function percentileCaption(b: Breakdown) {
  const p = b.llmLatency
  const v = (x: number | null) => (x === null ? '—' : duration(Math.round(x)))
  return <p className="widget-caption" data-testid="latency-percentiles">{exact(p.count)} calls · p50 {v(p.p50)} · p90 {v(p.p90)} · p95 {v(p.p95)} · p99 {v(p.p99)}</p>
}

/**
 * Whether the analysis changes what a chart draws: the kinds of insight pinned to it, anomalies
 * in the scatter, the parallel efficiency gauge. Other charts are not drawn again when it arrives.
 */
const USES_ANALYSIS: Partial<Record<WidgetType, (a: RunAnalysis) => boolean>> = {
  'tokens-per-agent': (a) => a.insights.some((i) => i.kind === 'cost-share-agent'),
  'tool-calls': (a) => a.insights.some((i) => i.kind === 'tool-latency-outlier' || i.kind === 'tool-errors'),
  'cost-by-model': (a) => a.insights.some((i) => i.kind === 'cost-share-model'),
  'latency-vs-tokens': (a) => a.anomalies.length > 0,
  efficiency: () => true,
}

/** The body of one widget: its chart with the data it needs. */
export function WidgetBody({ d, l }: { d: WidgetData; l: WidgetLayout }) {
  switch (l.type) {
    case 'tokens-over-time': return <TimeLine d={d} l={l} metric="tokens" label="Tokens" testId="chart-tokens-over-time" />
    case 'latency-over-time': return <TimeLine d={d} l={l} metric="latency" label="Latency" testId="chart-latency-over-time" />
    case 'cumulative-cost': return <CostArea d={d} l={l} />
    case 'agents-table': return <AgentsTable d={d} />
  }
  if (d.breakdownError) return <p className="error">{d.breakdownError}</p>
  if (!d.breakdown) return <p className="muted loading">Loading…</p>
  return <BreakdownChart b={d.breakdown} analysis={d.analysis && USES_ANALYSIS[l.type]?.(d.analysis) ? d.analysis : null} l={l} />
}

function BreakdownChart({ b, analysis, l }: { b: Breakdown; analysis: RunAnalysis | null; l: WidgetLayout }) {
  const names = useMemo(() => new Map(b.activity.agents.map((id, i) => [id, b.activity.names[i] ?? id])), [b])
  const anomalous = useMemo(() => new Set(analysis?.anomalies.map((a) => a.spanId) ?? []), [analysis])
  const build = useMemo((): ((t: ChartTheme) => ChartOption) => {
    switch (l.type) {
      case 'tokens-per-agent': return (t) => tokensPerAgent(b, t, analysis)
      case 'tool-calls': return (t) => toolCalls(b, t, analysis)
      case 'latency-vs-tokens': return (t) => latencyVsTokens(b, t, anomalous)
      case 'cost-by-model': return (t) => costByModel(b, t, analysis)
      case 'latency-histogram': return (t) => latencyHistogram(b, t)
      case 'agent-activity': return (t) => agentActivity(b, names, t)
      default: return (t) => efficiencyGauges(b, analysis, t)
    }
  }, [l.type, b, analysis, anomalous, names])
  const h = chartHeight(l.h)
  const chart = (table: () => { header: string[]; rows: unknown[][] }, height = h) => (
    <EChart deferred option={build} height={height} testId={`chart-${l.type}`} title={WIDGET_TITLES[l.type]} table={table} onReady={onInsightClick} />
  )
  switch (l.type) {
    case 'tokens-per-agent': return chart(() => ({ header: ['agent', 'input', 'output', 'cache_write', 'cache_read', 'cost_usd'], rows: b.byAgent.map((a) => [a.name, a.inputTokens, a.outputTokens, a.cacheCreationTokens, a.cacheReadTokens, a.costUsd]) }))
    case 'tool-calls': return b.byTool.length ? chart(() => ({ header: ['tool', 'calls', 'errors', 'total_ms', 'mean_ms'], rows: b.byTool.map((x) => [x.tool, x.count, x.errors, x.totalMs, x.meanMs]) })) : <p className="muted">No tool calls in this run.</p>
    case 'latency-vs-tokens': return chart(() => ({ header: ['latency_ms', 'tokens', 'calls', 'span_id'], rows: b.scatter.latencyMs.map((x, i) => [x, b.scatter.tokens[i], b.scatter.count[i], b.scatter.spanId[i]]) }))
    case 'cost-by-model': return b.byModel.some((m) => m.costUsd > 0) ? chart(() => ({ header: ['model', 'llm_calls', 'tokens', 'cost_usd'], rows: b.byModel.map((m) => [m.model, m.llmCalls, m.tokens, m.costUsd]) })) : <p className="muted">No priced LLM calls: nothing to split by model.</p>
    case 'latency-histogram': return b.llmLatency.count ? <>{percentileCaption(b)}{chart(() => ({ header: ['from_ms', 'to_ms', 'calls'], rows: b.llmLatency.counts.map((c, i) => [b.llmLatency.edges[i], b.llmLatency.edges[i + 1], c]) }), h - 20)}</> : <p className="muted">No timed LLM calls.</p>
    case 'agent-activity': return chart(() => ({ header: ['bucket', 'agent', 'busy_ms'], rows: b.activity.cells.map(([x, y, v]) => [b.activity.startMs + x * b.activity.bucketMs, b.activity.agents[y], v]) }))
    default: return chart(() => ({ header: ['measure', 'value'], rows: [['cache_hit_ratio', b.cache.hitRatio], ['parallel_efficiency', analysis?.structure.concurrency.parallelEfficiency ?? null]] }))
  }
}
