import type { RunAnalysis } from '../../../shared/analysis-dto'
import { compact, duration, exact, usd } from '../../../shared/format'
import type { Breakdown } from '../../../shared/spans-dto'
import type { ChartOption } from './echarts'
import { barPins, escapeHtml, insightsByKey } from './insight-marks'
import type { ChartTheme } from './theme'

// Options of the dashboard charts that aggregate the run (per agent, tool, model; distributions).

const TOKEN_KINDS = [
  ['inputTokens', 'Input'],
  ['outputTokens', 'Output'],
  ['cacheCreationTokens', 'Cache write'],
  ['cacheReadTokens', 'Cache read'],
] as const

export function tokensPerAgent(b: Breakdown, t: ChartTheme, analysis: RunAnalysis | null = null): ChartOption {
  const agents = b.byAgent
  const about = insightsByKey(analysis, ['cost-share-agent'], 'key')
  const pins = agents.flatMap((a) => (about.has(a.agentId) ? [{ category: a.name, value: a.inputTokens + a.outputTokens + a.cacheCreationTokens + a.cacheReadTokens, insights: about.get(a.agentId)! }] : []))
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => exact(v) },
    legend: { top: 0 },
    grid: { left: 8, right: 28, top: 30, bottom: 8, containLabel: true },
    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => compact(v) } },
    yAxis: { type: 'category', data: agents.map((a) => a.name), inverse: true, axisLabel: { width: 140, overflow: 'truncate' } },
    dataZoom: agents.length > 12 ? [{ type: 'inside', yAxisIndex: 0, startValue: 0, endValue: 11, zoomOnMouseWheel: false, moveOnMouseWheel: true }] : [],
    series: TOKEN_KINDS.map(([key, name], k) => ({ name, type: 'bar', stack: 'tokens', data: agents.map((a) => a[key]), markPoint: k === TOKEN_KINDS.length - 1 ? barPins(pins, t) : undefined })),
  }
}

export function toolCalls(b: Breakdown, t: ChartTheme, analysis: RunAnalysis | null = null): ChartOption {
  const tools = b.byTool.slice(0, 20)
  const about = insightsByKey(analysis, ['tool-latency-outlier', 'tool-errors'], 'tool')
  const pins = tools.flatMap((x) => (about.has(x.tool) ? [{ category: x.tool, value: x.count, insights: about.get(x.tool)! }] : []))
  return {
    tooltip: {
      trigger: 'axis', axisPointer: { type: 'shadow' },
      formatter: (ps: { dataIndex: number }[]) => {
        const x = tools[ps[0].dataIndex]
        return `<b>${escapeHtml(x.tool)}</b><br/>${exact(x.count)} calls · ${exact(x.errors)} errors<br/>mean ${x.meanMs === null ? '—' : duration(Math.round(x.meanMs))} · total ${duration(x.totalMs)}`
      },
    },
    legend: { top: 0 },
    grid: { left: 8, right: 28, top: 30, bottom: 8, containLabel: true },
    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => compact(v) } },
    yAxis: { type: 'category', data: tools.map((x) => x.tool), inverse: true },
    series: [
      { name: 'Calls', type: 'bar', stack: 'c', data: tools.map((x) => x.count - x.errors) },
      { name: 'Errors', type: 'bar', stack: 'c', itemStyle: { color: t.bad }, data: tools.map((x) => x.errors), markPoint: barPins(pins, t) },
    ],
  }
}

export function latencyVsTokens(b: Breakdown, t: ChartTheme, anomalous: Set<string>): ChartOption {
  const s = b.scatter
  const normal: (number | string | null)[][] = []
  const flagged: (number | string | null)[][] = []
  for (let i = 0; i < s.latencyMs.length; i++) (s.spanId[i] && anomalous.has(s.spanId[i]!) ? flagged : normal).push([s.latencyMs[i], s.tokens[i], s.count[i], s.spanId[i]])
  const maxCount = Math.max(1, ...s.count)
  const tip = (p: { value: [number, number, number] }) =>
    `${duration(Math.round(p.value[0]))} · ${compact(p.value[1])} tokens${p.value[2] > 1 ? `<br/>${exact(p.value[2])} calls here` : ''}`
  return {
    grid: { left: 56, right: 20, top: 28, bottom: 40 },
    legend: { top: 0, right: 8 },
    tooltip: { trigger: 'item', formatter: tip },
    xAxis: { type: 'value', name: 'latency', nameLocation: 'middle', nameGap: 24, axisLabel: { formatter: (v: number) => duration(v) } },
    yAxis: { type: 'value', name: 'tokens', axisLabel: { formatter: (v: number) => compact(v) } },
    dataZoom: [{ type: 'inside', xAxisIndex: 0 }, { type: 'inside', yAxisIndex: 0 }],
    series: [
      {
        name: s.merged ? 'LLM calls (merged per cell)' : 'LLM calls', type: 'scatter', large: normal.length > 2000, data: normal,
        symbolSize: (v: number[]) => (s.merged ? 3 + 9 * Math.sqrt(v[2] / maxCount) : 5), itemStyle: { opacity: 0.6 },
      },
      ...(flagged.length ? [{ name: 'Anomaly', type: 'scatter', data: flagged, symbolSize: 9, itemStyle: { color: t.bad } }] : []),
    ],
  }
}

export function costByModel(b: Breakdown, t: ChartTheme, analysis: RunAnalysis | null = null): ChartOption {
  const slices = b.byModel.filter((m) => m.costUsd > 0)
  // The model a cost-share insight is about is outlined in the highlight colour, with its rank.
  const about = insightsByKey(analysis, ['cost-share-model'], 'key')
  const rank = (model: string) => about.get(model)?.map((i) => `#${i.rank}`).join(' ')
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p: { name: string; value: number; percent: number }) =>
        `<b>${escapeHtml(p.name)}</b><br/>${usd(p.value)} (${p.percent.toFixed(1)} %)${about.has(p.name) ? `<br/>${about.get(p.name)!.map((i) => `#${i.rank} ${escapeHtml(i.title)}`).join('<br/>')}` : ''}`,
    },
    legend: { bottom: 0, type: 'scroll' },
    series: [{
      name: 'Cost by model', type: 'pie', radius: ['36%', '62%'], center: ['50%', '44%'], avoidLabelOverlap: true,
      // One slice needs no label: the legend names it (unless an insight is pinned to it).
      label: { show: slices.length > 1 || about.size > 0, formatter: (p: { name: string; percent: number }) => `${p.percent.toFixed(0)} %${rank(p.name) ? ` ${rank(p.name)}` : ''}` },
      data: slices.map((m) => ({ name: m.model, value: m.costUsd, insightRank: about.get(m.model)?.[0].rank, itemStyle: about.has(m.model) ? { borderColor: t.critical, borderWidth: 3 } : undefined })),
    }],
  }
}

const PERCENTILES = [['p50', 'p50'], ['p90', 'p90'], ['p95', 'p95'], ['p99', 'p99']] as const

export function latencyHistogram(b: Breakdown, t: ChartTheme): ChartOption {
  const h = b.llmLatency
  const bars = h.counts.map((c, i) => [(h.edges[i] + h.edges[i + 1]) / 2, c, h.edges[i], h.edges[i + 1]])
  return {
    grid: { left: 48, right: 20, top: 36, bottom: 36 },
    tooltip: { trigger: 'item', formatter: (p: { value: number[] }) => `${duration(Math.round(p.value[2]))} – ${duration(Math.round(p.value[3]))}<br/>${exact(p.value[1])} calls` },
    xAxis: { type: 'value', min: h.edges[0], max: h.edges[h.edges.length - 1], axisLabel: { formatter: (v: number) => duration(Math.round(v)) } },
    yAxis: { type: 'value', name: 'calls' },
    series: [{
      name: 'LLM latency', type: 'custom', data: bars,
      renderItem: (_params: unknown, api: { value(i: number): number; coord(p: number[]): number[]; style(): object }) => {
        const lo = api.coord([api.value(2), api.value(1)])
        const hi = api.coord([api.value(3), 0])
        return { type: 'rect', shape: { x: lo[0], y: lo[1], width: Math.max(1, hi[0] - lo[0] - 1), height: hi[1] - lo[1] }, style: api.style() }
      },
      encode: { x: 0, y: 1 },
      markLine: {
        symbol: 'none', silent: false, animation: false,
        // Values are in the caption above the chart; the lines carry only their names.
        label: { formatter: (p: { name: string }) => p.name, color: t.text, fontSize: 11 },
        lineStyle: { color: t.critical, type: 'dashed' },
        data: PERCENTILES.filter(([k]) => h[k] !== null).map(([k, name], i) => ({ name, xAxis: h[k] as number, label: { position: i % 2 ? 'insideEndTop' : 'end' } })),
      },
    }],
  }
}

export function agentActivity(b: Breakdown, names: Map<string, string>, t: ChartTheme): ChartOption {
  const a = b.activity
  const max = Math.max(1, ...a.cells.map((c) => c[2]))
  const labels = Array.from({ length: a.buckets }, (_, i) => new Date(a.startMs + i * a.bucketMs).toISOString().slice(11, 16))
  return {
    grid: { left: 8, right: 20, top: 10, bottom: 56, containLabel: true },
    tooltip: {
      formatter: (p: { value: [number, number, number] }) =>
        `<b>${escapeHtml(names.get(a.agents[p.value[1]]) ?? a.agents[p.value[1]])}</b><br/>${labels[p.value[0]]} UTC, ${duration(a.bucketMs)} bucket<br/>busy ${duration(p.value[2])} (${Math.round((100 * p.value[2]) / a.bucketMs)} %)`,
    },
    xAxis: { type: 'category', data: labels, splitArea: { show: false } },
    yAxis: { type: 'category', data: a.agents.map((id) => names.get(id) ?? id), inverse: true, axisLabel: { width: 140, overflow: 'truncate' } },
    visualMap: { min: 0, max, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, textStyle: { color: t.muted }, inRange: { color: [t.dark ? '#1f2a3a' : '#eef3fb', t.palette[0]] }, formatter: (v: number) => duration(Math.round(v)) },
    series: [{ name: 'Busy time', type: 'heatmap', data: a.cells, progressive: 0 }],
  }
}

export function efficiencyGauges(b: Breakdown, analysis: RunAnalysis | null, t: ChartTheme): ChartOption {
  // The cache and parallelism insights are about these two measures: their ranks go under the names.
  const rank = (kind: string) => {
    const i = analysis?.insights.find((x) => x.kind === kind)
    return i ? `\ninsight #${i.rank}` : ''
  }
  const gauge = (name: string, value: number | null, center: string) => ({
    name, type: 'gauge', center: [center, '58%'], radius: '78%', min: 0, max: 100, startAngle: 210, endAngle: -30,
    progress: { show: true, width: 12, itemStyle: { color: value === null ? t.muted : t.palette[0] } },
    axisLine: { lineStyle: { width: 12, color: [[1, t.line]] } },
    axisTick: { show: false }, splitLine: { show: false }, axisLabel: { show: false }, pointer: { show: false },
    title: { offsetCenter: [0, '62%'], color: t.muted, fontSize: 12, lineHeight: 15 },
    detail: { valueAnimation: false, offsetCenter: [0, '0%'], fontSize: 22, color: t.text, formatter: () => (value === null ? '—' : `${value.toFixed(1)} %`) },
    data: [{ value: value ?? 0, name }],
  })
  const eff = analysis?.structure.concurrency.parallelEfficiency
  return {
    series: [
      gauge(`Cache hit ratio${rank('cache')}`, b.cache.hitRatio === null ? null : 100 * b.cache.hitRatio, '26%'),
      gauge(analysis ? `Parallel efficiency${rank('parallelism')}` : 'Parallel efficiency (analysing…)', eff === null || eff === undefined ? null : 100 * eff, '74%'),
    ],
  }
}
