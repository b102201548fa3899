import type { Insight, RunAnalysis, SpanAnomaly } from '../../../shared/analysis-dto'
import type { LocatedSpan } from '../../../shared/spans-dto'
import type { ChartTheme } from './theme'

// The analysis drawn on the dashboard's charts: each insight where its evidence lies (the spans
// it names on the time charts, the tool, agent or model it is about on the bar and pie charts),
// pinned with its rank as in the side list; clicking a pin opens that insight there. Anomalies
// are points of their own on the latency chart.

export type Located = Map<string, LocatedSpan>

/** What a pin carries, read back by the click handler (see onInsightClick). */
export interface PinData {
  insightRank: number
}

const endOf = (s: LocatedSpan) => s.endMs ?? s.startMs

/** Text for ECharts' HTML tooltips: names come from transcripts and may hold markup. */
export const escapeHtml = (x: string) => x.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
const title = (i: Insight) => `#${i.rank} ${escapeHtml(i.title)}`
const tooltip = (text: string) => ({ trigger: 'item', formatter: () => text })
/** The rank on a pin: dark on the dark theme's light highlight colour, white on the light theme's. */
const pinText = (t: ChartTheme) => (t.dark ? '#0b0d10' : '#fff')

/** The insights about one category (a tool, an agent id, a model), by the evidence field naming it. */
export function insightsByKey(analysis: RunAnalysis | null, kinds: string[], field: string): Map<string, Insight[]> {
  const out = new Map<string, Insight[]>()
  for (const i of analysis?.insights ?? []) {
    const key = i.evidence[field]
    if (!kinds.includes(i.kind) || typeof key !== 'string') continue
    out.set(key, [...(out.get(key) ?? []), i])
  }
  return out
}

/** Pins on a horizontal bar chart: at the end of the bar of each category an insight is about. */
export function barPins(pins: { category: string; value: number; insights: Insight[] }[], t: ChartTheme) {
  if (pins.length === 0) return undefined
  return {
    symbol: 'pin', symbolSize: 30, symbolRotate: -90, itemStyle: { color: t.critical }, label: { color: pinText(t), fontSize: 10 },
    tooltip: { trigger: 'item', formatter: (p: { data: { text: string } }) => p.data.text },
    data: pins.map((p) => ({
      coord: [p.value, p.category], value: p.insights.map((i) => `#${i.rank}`).join(' '), insightRank: p.insights[0].rank,
      text: p.insights.map(title).join('<br/>'),
    })),
  }
}

/** Insight pins over time: one point per named span, at its end, with the span's value for the chart. */
export function timePins(analysis: RunAnalysis | null, located: Located | null, kinds: string[], valueOf: (s: LocatedSpan) => number | null, t: ChartTheme) {
  const data: { value: [number, number]; insightRank: number; text: string }[] = []
  for (const i of analysis?.insights ?? []) {
    if (!kinds.includes(i.kind)) continue
    for (const id of i.spanIds) {
      const s = located?.get(id)
      const at = s ? endOf(s) : null
      const v = s ? valueOf(s) : null
      if (s && at !== null && v !== null) data.push({ value: [at, v], insightRank: i.rank, text: `${title(i)}<br/>${s.kind} "${escapeHtml(s.name)}"` })
    }
  }
  if (data.length === 0) return []
  return [{
    name: 'Insight', type: 'scatter', symbol: 'pin', symbolSize: 22, z: 6, itemStyle: { color: t.critical },
    label: { show: true, color: pinText(t), fontSize: 10, formatter: (p: { data: { insightRank: number } }) => `#${p.data.insightRank}` },
    tooltip: { trigger: 'item', formatter: (p: { data: { text: string } }) => p.data.text },
    data,
  }]
}

/**
 * The longest LLM and tool steps of the critical path as shaded bands (markArea), labelled with
 * the insight's rank. An agent's own time spans its whole life: shading it would say nothing.
 */
export function criticalBands(analysis: RunAnalysis | null, located: Located | null, t: ChartTheme) {
  const i = analysis?.insights.find((x) => x.kind === 'critical-path')
  const bands = (i?.spanIds ?? []).flatMap((id) => {
    const s = located?.get(id)
    const step = s && (s.kind === 'llm' || s.kind === 'tool') && s.startMs !== null && s.endMs !== null && s.endMs > s.startMs
    return step ? [[{ xAxis: s.startMs, name: `#${i!.rank}`, insightRank: i!.rank }, { xAxis: s.endMs }]] : []
  })
  if (!i || bands.length === 0) return undefined
  return { silent: false, itemStyle: { color: t.critical, opacity: 0.12 }, label: { color: t.muted, fontSize: 10, position: 'insideTop' }, tooltip: tooltip(title(i)), data: bands }
}

/** The least-squares trend of LLM latency the insight reports, as a dashed line over the run. */
export function latencyTrendLine(analysis: RunAnalysis | null, fromMs: number, toMs: number, t: ChartTheme) {
  const i = analysis?.insights.find((x) => x.kind === 'llm-latency-trend')
  const t0 = analysis?.structure.startMs
  const slope = i?.evidence.slopeMsPerMin
  const intercept = i?.evidence.interceptMs
  if (!i || t0 === null || t0 === undefined || typeof slope !== 'number' || typeof intercept !== 'number') return []
  const at = (ms: number) => [ms, intercept + (slope * (ms - t0)) / 60_000]
  return [{
    name: `Trend (#${i.rank})`, type: 'line', showSymbol: false, silent: false, z: 4, lineStyle: { type: 'dashed', width: 1.5, color: t.critical },
    tooltip: tooltip(title(i)), data: [at(fromMs), at(toMs)].map((value) => ({ value, insightRank: i.rank })),
  }]
}

export interface AnomalyPoint {
  t: number
  latencyMs: number
  anomaly: SpanAnomaly
}

/** The anomalies of one kind whose spans were located, placed where they ended. */
export function anomalyPoints(analysis: RunAnalysis | null, located: Located | null, kind: 'llm' | 'tool'): AnomalyPoint[] {
  return (analysis?.anomalies ?? []).flatMap((a) => {
    const s = a.kind === kind ? located?.get(a.spanId) : undefined
    const at = s ? endOf(s) : null
    return at !== null && at !== undefined ? [{ t: at, latencyMs: a.latencyMs, anomaly: a }] : []
  })
}
