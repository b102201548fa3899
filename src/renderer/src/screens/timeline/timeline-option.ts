import { compact, duration } from '../../../../shared/format'
import type { TimelineWindow } from '../../../../shared/spans-dto'
import type { ChartOption } from '../../charts/echarts'
import type { ChartTheme } from '../../charts/theme'
import { FLAG_BUCKET, FLAG_CRITICAL, FLAG_ERROR, LEVEL_SHIFT, type LaidOut } from './layout'

// The timeline as one ECharts custom series over a dataset of typed-array columns. Only the
// current window's spans are in it (the core cut them), `progressive: 0` draws them in one pass
// (see PERF-NOTES: larger progressive values fire `finished` early and break dispose).

export const ROW_PX = 22
const KIND_LABEL = ['agent', 'LLM call', 'tool call', 'task', 'other']

interface RenderApi {
  value(dim: number | string): number
  coord(p: number[]): number[]
  size(p: number[]): number[]
}
interface RenderParams {
  coordSys: { x: number; y: number; width: number; height: number }
  dataIndex: number
}

export function timelineOption(laid: LaidOut, win: TimelineWindow, t: ChartTheme, view: [number, number], criticalOnly: boolean, wallMs: number): ChartOption {
  const colours = [t.muted, t.palette[0], t.palette[1], t.palette[2], t.palette[3]]
  const visibleRows = Math.min(laid.rows.length, 28)
  const renderItem = (params: RenderParams, api: RenderApi) => {
    const x0 = api.value(0)
    const x1 = api.value(1)
    const row = api.value(2)
    const flags = api.value(4)
    const kind = api.value(3)
    const a = api.coord([x0, row])
    const b = api.coord([x1, row])
    const band = api.size([0, 1])[1]
    const agentRow = kind === 0
    const h = agentRow ? band * 0.35 : band * 0.7
    const cs = params.coordSys
    // Clip to the plot area by hand: cheaper than a clip path per rectangle.
    const left = Math.max(a[0], cs.x)
    const right = Math.min(Math.max(b[0], a[0] + 1), cs.x + cs.width)
    if (right < cs.x || left > cs.x + cs.width) return null
    const critical = (flags & FLAG_CRITICAL) !== 0
    const bucket = (flags & FLAG_BUCKET) !== 0
    const fill = flags & FLAG_ERROR ? t.bad : colours[kind] ?? t.muted
    const opacity = criticalOnly && !critical ? 0.18 : bucket ? [0.35, 0.55, 0.8][flags >> LEVEL_SHIFT] ?? 0.8 : 1
    const width = Math.max(1, right - left)
    const rect = {
      type: 'rect',
      shape: { x: left, y: a[1] - h / 2, width, height: h, r: width > 4 && !bucket ? 2 : 0 },
      style: { fill, opacity, stroke: critical ? t.critical : undefined, lineWidth: critical ? 2 : 0 },
    }
    if (width < 70 || bucket || agentRow) return rect
    const name = win.spans.name[api.value(6)] ?? ''
    return {
      type: 'group',
      children: [rect, { type: 'text', style: { x: left + 4, y: a[1], text: name, fill: t.dark ? '#0b0d10' : '#fff', fontSize: 11, verticalAlign: 'middle', width: width - 8, overflow: 'truncate' }, silent: true }],
    }
  }
  return {
    animation: false,
    grid: { left: 8, right: 24, top: 34, bottom: 44, containLabel: true },
    tooltip: {
      trigger: 'item',
      formatter: (p: { dataIndex: number }) => {
        const i = p.dataIndex
        const ms = laid.x1[i] - laid.x0[i]
        if (laid.flags[i] & FLAG_BUCKET) return `${compact(laid.count[i])} short ${KIND_LABEL[laid.kind[i]]}s in this stretch<br/>zoom in to see them one by one`
        const s = laid.span[i]
        return `<b>${win.spans.name[s]}</b> (${KIND_LABEL[laid.kind[i]]})<br/>+${duration(Math.round(laid.x0[i]))} · ${duration(Math.round(ms))}${laid.flags[i] & FLAG_ERROR ? '<br/>error' : ''}${laid.flags[i] & FLAG_CRITICAL ? '<br/>on the critical path' : ''}`
      },
    },
    xAxis: { type: 'value', min: 0, max: Math.max(1, wallMs), position: 'top', axisLabel: { formatter: (v: number) => `+${duration(Math.round(v))}` }, splitLine: { show: true, lineStyle: { color: t.line } } },
    yAxis: {
      type: 'category', inverse: true, data: laid.rows.map((r) => (r.group === 0 ? `${'  '.repeat(r.depth)}${r.label}` : `${'  '.repeat(r.depth + 1)}${r.label}`)),
      axisTick: { show: false }, axisLabel: { fontSize: 11, width: 180, overflow: 'truncate' }, splitLine: { show: true, lineStyle: { color: t.line, opacity: 0.6 } },
    },
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'weakFilter', startValue: view[0], endValue: view[1], minValueSpan: 5, throttle: 0 },
      { type: 'slider', xAxisIndex: 0, filterMode: 'weakFilter', startValue: view[0], endValue: view[1], height: 16, bottom: 10, showDetail: false },
      ...(laid.rows.length > visibleRows
        ? [{ type: 'slider', yAxisIndex: 0, startValue: 0, endValue: visibleRows - 1, width: 12, right: 4, showDetail: false, filterMode: 'weakFilter' }, { type: 'inside', yAxisIndex: 0, zoomOnMouseWheel: false, moveOnMouseWheel: 'shift', moveOnMouseMove: false }]
        : []),
    ],
    dataset: { source: { x0: laid.x0, x1: laid.x1, row: laid.row, kind: laid.kind, flags: laid.flags, count: laid.count, span: laid.span }, dimensions: ['x0', 'x1', 'row', 'kind', 'flags', 'count', 'span'] },
    series: [{ type: 'custom', renderItem, encode: { x: ['x0', 'x1'], y: 'row' }, progressive: 0, clip: true }],
  }
}
