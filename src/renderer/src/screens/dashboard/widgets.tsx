import { useCallback, useMemo } from 'react'
import type { RunAnalysis } from '../../../../shared/analysis-dto'
import type { RunOverview } from '../../../../shared/dto'
import { duration, exact, usd } from '../../../../shared/format'
import type { Breakdown, SeriesMetric } from '../../../../shared/spans-dto'
import { agentActivity, costByModel, efficiencyGauges, latencyHistogram, latencyVsTokens, tokensPerAgent, toolCalls } from '../../charts/breakdown-charts'
import { EChart } from '../../charts/EChart'
import type { ChartOption, ECharts } from '../../charts/echarts'
import type { ChartTheme } from '../../charts/theme'
import { cumulativeArea, lineOverTime } from '../../charts/time-charts'
import { useDashboard, type WidgetLayout, type WidgetType } from '../../stores/dashboard'
import { chartHeight } from './Widget'
import { useAnomalyPoints, useSeries } from './use-series'

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

export interface WidgetData {
  runId: string
  overview: RunOverview
  breakdown: Breakdown
  analysis: RunAnalysis | null
}

/** Chart widths in pixels, for the per-pixel series: the share of the content area the widget spans. */
const pixelWidth = (w: number) => Math.max(200, Math.round(((window.innerWidth - 380) * w) / 12))

/** Zooming a time chart sets the dashboard's time range; every time chart then reads that window. */
function onZoom(chart: ECharts) {
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

function TimeLine({ d, l, metric, label, testId }: { d: WidgetData; l: WidgetLayout; metric: SeriesMetric; label: string; testId: string }) {
  const range = useDashboard((s) => s.range)
  const { series, error } = useSeries(d.runId, metric, range, pixelWidth(l.w))
  const anomalies = useAnomalyPoints(d.runId, metric === 'latency' ? d.analysis : null)
  const option = useCallback((t: ChartTheme) => (series ? lineOverTime(series, label, t, anomalies) : {}), [series, label, anomalies])
  const table = useCallback(() => ({ header: ['bucket_start_ms', 'first', 'last', 'min', 'max', 'sum', 'count'], rows: series ? series.t.map((t, i) => [t, series.first[i], series.last[i], series.min[i], series.max[i], series.sum[i], series.count[i]]) : [] }), [series])
  if (error) return <p className="error">{error}</p>
  if (!series) return <p className="muted loading">Loading…</p>
  if (series.points === 0) return <p className="muted">No LLM calls with times in this run.</p>
  return <EChart option={option} height={chartHeight(l.h)} testId={testId} title={label} onReady={onZoom} table={table} />
}

function CostArea({ d, l }: { d: WidgetData; l: WidgetLayout }) {
  const range = useDashboard((s) => s.range)
  const { series, error } = useSeries(d.runId, 'cost', range, pixelWidth(l.w))
  const option = useCallback(() => (series ? cumulativeArea(series, 'Cost') : {}), [series])
  const table = useCallback(() => ({ header: ['bucket_start_ms', 'cost_usd'], rows: series ? series.t.map((t, i) => [t, series.sum[i]]) : [] }), [series])
  if (error) return <p className="error">{error}</p>
  if (!series) return <p className="muted loading">Loading…</p>
  return <EChart option={option} height={chartHeight(l.h)} testId="chart-cumulative-cost" title="Cumulative cost" onReady={onZoom} table={table} />
}

function AgentsTable({ d }: { d: WidgetData }) {
  const o = d.overview
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

/** The body of one widget: its chart with the data it needs. */
export function WidgetBody({ d, l }: { d: WidgetData; l: WidgetLayout }) {
  const b = d.breakdown
  const names = useMemo(() => new Map(d.overview.agents.map((a) => [a.id, a.name])), [d.overview])
  const anomalous = useMemo(() => new Set(d.analysis?.anomalies.map((a) => a.spanId) ?? []), [d.analysis])
  const h = chartHeight(l.h)
  const chart = (testId: string, build: (t: ChartTheme) => ChartOption, table: () => { header: string[]; rows: unknown[][] }, height = h) => (
    <EChart option={build} height={height} testId={testId} title={WIDGET_TITLES[l.type]} table={table} />
  )
  const builders = useMemo(() => ({
    agents: (t: ChartTheme) => (void t, tokensPerAgent(b)),
    tools: (t: ChartTheme) => toolCalls(b, t),
    scatter: (t: ChartTheme) => latencyVsTokens(b, t, anomalous),
    pie: () => costByModel(b),
    hist: (t: ChartTheme) => latencyHistogram(b, t),
    heat: (t: ChartTheme) => agentActivity(b, names, t),
    gauge: (t: ChartTheme) => efficiencyGauges(b, d.analysis, t),
  }), [b, anomalous, names, d.analysis])
  switch (l.type) {
    case 'tokens-over-time': return <TimeLine d={d} l={l} metric="tokens" label="Tokens" testId="chart-tokens-over-time" />
    case 'latency-over-time': return <TimeLine d={d} l={l} metric="latency" label="Latency" testId="chart-latency-over-time" />
    case 'cumulative-cost': return <CostArea d={d} l={l} />
    case 'tokens-per-agent': return chart('chart-tokens-per-agent', builders.agents, () => ({ header: ['agent', 'input', 'output', 'cache_write', 'cache_read', 'cost_usd'], rows: b.byAgent.map((a) => [a.name, a.inputTokens, a.outputTokens, a.cacheCreationTokens, a.cacheReadTokens, a.costUsd]) }))
    case 'tool-calls': return b.byTool.length ? chart('chart-tool-calls', builders.tools, () => ({ header: ['tool', 'calls', 'errors', 'total_ms', 'mean_ms'], rows: b.byTool.map((x) => [x.tool, x.count, x.errors, x.totalMs, x.meanMs]) })) : <p className="muted">No tool calls in this run.</p>
    case 'latency-vs-tokens': return chart('chart-latency-vs-tokens', builders.scatter, () => ({ header: ['latency_ms', 'tokens', 'calls', 'span_id'], rows: b.scatter.latencyMs.map((x, i) => [x, b.scatter.tokens[i], b.scatter.count[i], b.scatter.spanId[i]]) }))
    case 'cost-by-model': return b.byModel.some((m) => m.costUsd > 0) ? chart('chart-cost-by-model', builders.pie, () => ({ header: ['model', 'llm_calls', 'tokens', 'cost_usd'], rows: b.byModel.map((m) => [m.model, m.llmCalls, m.tokens, m.costUsd]) })) : <p className="muted">No priced LLM calls: nothing to split by model.</p>
    case 'latency-histogram': return b.llmLatency.count ? <>{percentileCaption(b)}{chart('chart-latency-histogram', builders.hist, () => ({ header: ['from_ms', 'to_ms', 'calls'], rows: b.llmLatency.counts.map((c, i) => [b.llmLatency.edges[i], b.llmLatency.edges[i + 1], c]) }), h - 20)}</> : <p className="muted">No timed LLM calls.</p>
    case 'agent-activity': return chart('chart-agent-activity', builders.heat, () => ({ header: ['bucket', 'agent', 'busy_ms'], rows: b.activity.cells.map(([x, y, v]) => [b.activity.startMs + x * b.activity.bucketMs, b.activity.agents[y], v]) }))
    case 'efficiency': return chart('chart-efficiency', builders.gauge, () => ({ header: ['measure', 'value'], rows: [['cache_hit_ratio', b.cache.hitRatio], ['parallel_efficiency', d.analysis?.structure.concurrency.parallelEfficiency ?? null]] }))
    case 'agents-table': return <AgentsTable d={d} />
  }
}
