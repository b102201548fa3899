import type { SpanAnomaly } from '../../../shared/analysis-dto'
import { compact, duration, usd } from '../../../shared/format'
import type { Series } from '../../../shared/spans-dto'
import { cumulative, m4Points } from '../lib/m4'
import type { ChartOption } from './echarts'
import { escapeHtml, type AnomalyPoint } from './insight-marks'
import type { ChartTheme } from './theme'

// Options of the charts over time. Their data is already one bucket per pixel (see m4.ts),
// so the line is exact however long the run, and zooming asks the core for the new window.
// The analysis is laid over them: anomalies as points, insights as pins, bands and lines
// (built in insight-marks.ts and passed in as `over`).

export interface TimeOverlays {
  anomalies?: AnomalyPoint[]
  /** Extra series (insight pins, trend lines). */
  series?: object[]
  /** A markArea for the main series (critical-path bands). */
  bands?: object
}

const timeAxis = (s: Series) => ({ type: 'time', min: s.fromMs, max: s.toMs, splitNumber: 4, axisLabel: { hideOverlap: true } })
const zoom = [{ type: 'inside', filterMode: 'none' }, { type: 'slider', height: 16, bottom: 6, filterMode: 'none', showDetail: false }]
const fmtUnit = (unit: Series['unit'], v: number) => (unit === 'usd' ? usd(v) : unit === 'ms' ? duration(Math.round(v)) : compact(v))
const when = (t: number) => new Date(t).toISOString().slice(11, 19)

export function lineOverTime(s: Series, label: string, t: ChartTheme, over: TimeOverlays = {}): ChartOption {
  const anomalies = over.anomalies ?? []
  return {
    grid: { left: 56, right: 16, top: 28, bottom: 48 },
    legend: { top: 0, right: 8 },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v: number) => fmtUnit(s.unit, v),
    },
    xAxis: timeAxis(s),
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => fmtUnit(s.unit, v) } },
    dataZoom: zoom,
    series: [
      { name: label, type: 'line', showSymbol: s.points <= 60, symbolSize: 5, lineStyle: { width: 1.2 }, data: m4Points(s), markArea: over.bands },
      ...(anomalies.length
        ? [{
            name: 'Anomaly', type: 'scatter', symbolSize: 9, itemStyle: { color: t.bad, borderColor: t.panel, borderWidth: 1 }, z: 5,
            data: anomalies.map((a) => ({ value: [a.t, a.latencyMs], anomaly: a.anomaly })),
            tooltip: {
              trigger: 'item',
              formatter: (p: { data: { anomaly: SpanAnomaly } }) =>
                `<b>${escapeHtml(p.data.anomaly.name)}</b> (${p.data.anomaly.severity})<br/>${duration(p.data.anomaly.latencyMs)} vs median ${duration(Math.round(p.data.anomaly.groupMedianMs))}<br/>score ${p.data.anomaly.score.toFixed(1)} · ${p.data.anomaly.method}`,
            },
          }]
        : []),
      ...(over.series ?? []),
    ],
  }
}

export function cumulativeArea(s: Series, label: string, over: TimeOverlays = {}): ChartOption {
  const pts = cumulative(s)
  return {
    grid: { left: 56, right: 16, top: 20, bottom: 48 },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => usd(v), axisPointer: { label: { formatter: (p: { value: number }) => when(p.value) } } },
    xAxis: timeAxis(s),
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => usd(v) } },
    dataZoom: zoom,
    series: [{ name: label, type: 'line', step: 'end', showSymbol: false, areaStyle: { opacity: 0.25 }, data: [[s.fromMs, 0], ...pts], markArea: over.bands }, ...(over.series ?? [])],
  }
}
