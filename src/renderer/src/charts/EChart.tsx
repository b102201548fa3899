import { useEffect, useMemo, useRef } from 'react'
import { useSettings } from '../stores/settings'
import { echarts, type ChartOption, type ECharts } from './echarts'
import { queueDraw } from './draw-queue'
import { chartRegistry, type RegisteredChart } from './registry'
import { baseOption, chartTheme, type ChartTheme } from './theme'

export interface EChartProps {
  /** Builds the option for the current theme; called again when the theme or its inputs change. */
  option: (t: ChartTheme) => ChartOption
  height?: number | string
  testId?: string
  title?: string
  /** Called once the instance exists: for live charts that update it directly, and for events. */
  onReady?: (chart: ECharts) => void
  table?: () => { header: string[]; rows: unknown[][] }
  ariaLabel?: string
  /** Draw through the draw queue (one chart per task, visible ones first) rather than at once. */
  deferred?: boolean
}

/** Applies the theme's axis colours to every axis of an option. */
export function withTheme(option: ChartOption, t: ChartTheme): ChartOption {
  const base = baseOption(t)
  const axes = (a: unknown) => (Array.isArray(a) ? a.map((x) => ({ ...base.axis, ...(x as object) })) : a ? { ...base.axis, ...(a as object) } : a)
  const o = option as Record<string, unknown>
  // Sliders default to light greys: give them the theme's colours.
  const slider = { borderColor: t.line, fillerColor: t.dark ? 'rgba(108,156,255,0.18)' : 'rgba(47,111,222,0.12)', backgroundColor: 'transparent', dataBackground: { lineStyle: { color: t.muted, opacity: 0.5 }, areaStyle: { color: t.line } }, selectedDataBackground: { lineStyle: { color: t.palette[0] }, areaStyle: { color: t.palette[0], opacity: 0.2 } }, handleStyle: { color: t.panel, borderColor: t.muted }, moveHandleStyle: { color: t.muted, opacity: 0.5 }, textStyle: { color: t.muted } }
  const zoom = Array.isArray(o.dataZoom) ? (o.dataZoom as { type: string }[]).map((z) => (z.type === 'slider' ? { ...slider, ...z } : z)) : o.dataZoom
  return {
    // No entry animation: `finished` (and data-ready) would wait for it, and ten charts animating
    // at once cost the frames a user's first interaction needs. An option may still turn it on.
    animation: false,
    color: base.color, backgroundColor: base.backgroundColor, textStyle: base.textStyle,
    ...o,
    legend: o.legend ? { ...base.legend, ...(o.legend as object) } : undefined,
    tooltip: o.tooltip ? { ...base.tooltip, ...(o.tooltip as object) } : undefined,
    xAxis: axes(o.xAxis),
    yAxis: axes(o.yAxis),
    dataZoom: zoom,
  }
}

/**
 * The one ECharts wrapper: one instance per mount, sized by its box, themed by the settings.
 * `data-ready` turns to "1" when a drawing has finished (tests and benchmarks wait for it, and
 * a `chart:<testId>` performance mark records when). A `deferred` chart (the dashboard's widgets)
 * creates its instance and draws through the draw queue: in a task of its own, visible charts
 * first (see draw-queue.ts).
 */
export function EChart({ option, height = 280, testId, title, onReady, table, ariaLabel, deferred = false }: EChartProps) {
  const el = useRef<HTMLDivElement>(null)
  const chart = useRef<ECharts | null>(null)
  const dark = useSettings((s) => s.dark)
  const scheme = useSettings((s) => s.scheme)
  const theme = useMemo(() => chartTheme(dark, scheme), [dark, scheme])
  const built = useMemo(() => option(theme), [option, theme])
  const onReadyRef = useRef(onReady)
  onReadyRef.current = onReady
  // The table callback may be a new function each render; the registry reads the latest one.
  const tableRef = useRef(table)
  tableRef.current = table
  /** Creates the instance on first use (at mount, or at a deferred chart's first draw). */
  const ensure = useRef<() => ECharts>(null)

  useEffect(() => {
    const node = el.current!
    let ro: ResizeObserver | null = null
    ensure.current = () => {
      if (chart.current) return chart.current
      const instance = echarts.init(node, null, { renderer: 'canvas' })
      chart.current = instance
      instance.on('finished', () => {
        if (node.dataset.ready === '1') return
        node.dataset.ready = '1'
        if (testId) performance.mark(`chart:${testId}`)
      })
      // The observer also reports the initial size: resizing then would draw the chart twice.
      let size = `${node.clientWidth}x${node.clientHeight}`
      ro = new ResizeObserver(() => {
        const now = `${node.clientWidth}x${node.clientHeight}`
        if (now === size) return
        size = now
        instance.resize()
      })
      ro.observe(node)
      onReadyRef.current?.(instance)
      return instance
    }
    if (!deferred) ensure.current()
    return () => {
      ro?.disconnect()
      chart.current?.dispose()
      chart.current = null
      ensure.current = null
    }
  }, [testId, deferred])

  useEffect(() => {
    const node = el.current!
    node.dataset.ready = '0'
    const draw = () => ensure.current?.().setOption(withTheme(built, theme), { notMerge: true })
    if (!deferred) return void draw()
    return queueDraw(node, draw)
  }, [built, theme, deferred, testId]) // a new test id means a new instance (above) to draw on

  // The registry keeps the option, not the drawing: exports render a chart again from its option,
  // so a deferred chart that has not drawn yet exports like any other. Replacing an entry keeps
  // its place (the order of the dashboard's export); it leaves with the chart.
  const entry = useRef<RegisteredChart | null>(null)
  useEffect(() => {
    if (!testId) return
    entry.current = { id: testId, title: title ?? testId, option: built, table: () => tableRef.current?.() ?? { header: [], rows: [] } }
    chartRegistry.set(entry.current)
  }, [built, testId, title])
  useEffect(() => () => {
    if (entry.current) chartRegistry.delete(entry.current)
  }, [testId])

  return <div ref={el} className="chart" style={{ height }} data-testid={testId} data-ready="0" role="img" aria-label={ariaLabel ?? title} />
}
