import { duration } from '../../../../shared/format'
import type { TimelineWindow } from '../../../../shared/spans-dto'
import type { ChartOption } from '../../charts/echarts'
import type { ChartTheme } from '../../charts/theme'
import { FLAG_BUCKET, FLAG_CRITICAL, FLAG_ERROR, LEVEL_SHIFT, type LaidOut } from './layout'

// The timeline as ECharts `lines` series in large mode: every rectangle is a thick horizontal
// segment, and the segments of one look (kind, error, density, faded) are one path drawn in one
// go. A zoom frame then costs a few canvas calls per look instead of building and diffing an
// element per span (a custom series spent ~40 µs per item, ~100 ms a frame at 2 500 items).
// Hover and click find the segment from the pointer's data coordinates (timeline-hit.ts). The critical
// path is the same segments drawn wider beneath, in the highlight colour: an outline. Names on
// spans wide enough to hold them come from a small custom series over single spans only.

export const ROW_PX = 22
/**
 * Fixed chart margins: the row height in pixels follows from them, and a fixed left margin for
 * the row labels spares ECharts measuring every label on every zoom frame (containLabel).
 */
const GRID_TOP = 34
const GRID_BOTTOM = 44
const MAX_LABEL_PX = 180
export const VISIBLE_ROWS = 28

/** Segments sharing one look (the laid-out items drawn by one series). */
export interface TimelineGroup {
  kind: number
  error: boolean
  /** 0 one span, 1–3 a bucket of rising density. */
  level: number
  faded: boolean
  critical: boolean
  items: Int32Array
}

/** The laid-out items grouped by look, in drawing order (critical outlines first). */
export function groupItems(laid: LaidOut, criticalOnly: boolean): TimelineGroup[] {
  const byKey = new Map<string, { g: Omit<TimelineGroup, 'items'>; items: number[] }>()
  const add = (key: string, g: Omit<TimelineGroup, 'items'>, i: number) => {
    let e = byKey.get(key)
    if (!e) byKey.set(key, (e = { g, items: [] }))
    e.items.push(i)
  }
  for (let i = 0; i < laid.x0.length; i++) {
    const flags = laid.flags[i]
    const kind = laid.kind[i]
    const critical = (flags & FLAG_CRITICAL) !== 0
    const error = (flags & FLAG_ERROR) !== 0
    const level = flags & FLAG_BUCKET ? 1 + Math.min(2, flags >> LEVEL_SHIFT) : 0
    const faded = criticalOnly && !critical
    if (critical) add(`c${kind}`, { kind, error: false, level: 0, faded: false, critical: true }, i)
    add(`${kind}:${error}:${level}:${faded}`, { kind, error, level, faded, critical: false }, i)
  }
  return [...byKey.values()]
    .map(({ g, items }) => ({ ...g, items: Int32Array.from(items) }))
    .sort((a, b) => Number(b.critical) - Number(a.critical))
}

interface RenderApi {
  value(dim: number | string): number
  coord(p: number[]): number[]
}
interface RenderParams {
  coordSys: { x: number; y: number; width: number; height: number }
}

export function timelineOption(laid: LaidOut, groups: TimelineGroup[], win: TimelineWindow, t: ChartTheme, view: [number, number], wallMs: number, heightPx: number): ChartOption {
  const colours = [t.muted, t.palette[0], t.palette[1], t.palette[2], t.palette[3]]
  const visibleRows = Math.min(laid.rows.length, VISIBLE_ROWS)
  const band = Math.max(4, (heightPx - GRID_TOP - GRID_BOTTOM) / Math.max(1, visibleRows))
  const labels = laid.rows.map((r) => `${'  '.repeat(r.group === 0 ? r.depth : r.depth + 1)}${r.label}`)
  // ~6.5 px per character of an 11 px label: measured once per layout, not per frame.
  const labelPx = Math.min(MAX_LABEL_PX, Math.max(48, 6.5 * labels.reduce((m, l) => Math.max(m, l.length), 0)))
  const series = groups.map((g) => {
    const coords = new Float64Array(5 * g.items.length)
    g.items.forEach((i, k) => coords.set([2, laid.x0[i], laid.row[i], Math.max(laid.x1[i], laid.x0[i]), laid.row[i]], 5 * k))
    const height = band * (g.kind === 0 ? 0.35 : 0.7)
    return {
      // Silent: hover and click are resolved by timeline-hit.ts, so ECharts need not hit-test segments.
      type: 'lines', coordinateSystem: 'cartesian2d', large: true, largeThreshold: 0, polyline: false, clip: true, silent: true,
      z: g.critical ? 1 : 2,
      lineStyle: {
        width: g.critical ? height + 4 : height,
        color: g.critical ? t.critical : g.error ? t.bad : (colours[g.kind] ?? t.muted),
        opacity: g.faded ? 0.18 : g.level ? [0.35, 0.55, 0.8][g.level - 1] : 1,
        cap: 'butt',
      },
      data: coords,
    }
  })
  // Names on single spans wide enough to show them.
  const singles = Array.from(laid.span.keys()).filter((i) => laid.span[i] >= 0 && laid.kind[i] !== 0)
  const renderItem = (params: RenderParams, api: RenderApi) => {
    const i = api.value(3)
    const a = api.coord([laid.x0[i], laid.row[i]])
    const b = api.coord([laid.x1[i], laid.row[i]])
    const cs = params.coordSys
    const left = Math.max(a[0], cs.x)
    const width = Math.min(b[0], cs.x + cs.width) - left
    if (width < 70) return null
    return { type: 'text', silent: true, style: { x: left + 4, y: a[1], text: win.spans.name[laid.span[i]] ?? '', fill: t.dark ? '#0b0d10' : '#fff', fontSize: 11, verticalAlign: 'middle', width: width - 8, overflow: 'truncate' } }
  }
  return {
    animation: false,
    grid: { left: labelPx + 16, right: 24, top: GRID_TOP, bottom: GRID_BOTTOM },
    xAxis: { type: 'value', min: 0, max: Math.max(1, wallMs), position: 'top', axisLabel: { formatter: (v: number) => `+${duration(Math.round(v))}` }, splitLine: { show: true, lineStyle: { color: t.line } } },
    yAxis: {
      type: 'category', inverse: true, data: labels,
      axisTick: { show: false }, axisLabel: { fontSize: 11, width: labelPx, overflow: 'truncate', interval: 0 }, splitLine: { show: true, lineStyle: { color: t.line, opacity: 0.6 } },
    },
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'none', startValue: view[0], endValue: view[1], minValueSpan: 5, throttle: 0 },
      { type: 'slider', xAxisIndex: 0, filterMode: 'none', startValue: view[0], endValue: view[1], height: 16, bottom: 10, showDetail: false },
      ...(laid.rows.length > visibleRows
        ? [{ type: 'slider', yAxisIndex: 0, startValue: 0, endValue: visibleRows - 1, width: 12, right: 4, showDetail: false, filterMode: 'none' }, { type: 'inside', yAxisIndex: 0, zoomOnMouseWheel: false, moveOnMouseWheel: 'shift', moveOnMouseMove: false, filterMode: 'none' }]
        : []),
    ],
    series: [
      ...series,
      { type: 'custom', renderItem, data: singles.map((i) => [laid.x0[i], laid.x1[i], laid.row[i], i]), encode: { x: [0, 1], y: 2 }, silent: true, clip: true, z: 3, tooltip: { show: false }, progressive: 0 },
    ],
  }
}
