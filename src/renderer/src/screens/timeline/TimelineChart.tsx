import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { TimelineWindow } from '../../../../shared/spans-dto'
import { EChart } from '../../charts/EChart'
import type { ECharts } from '../../charts/echarts'
import type { ChartTheme } from '../../charts/theme'
import { client } from '../../client'
import { flagCritical, type LaidOut } from './layout'
import { layoutInWorker } from './layout-client'
import { describeItem, itemAtPixel } from './timeline-hit'
import { groupItems, ROW_PX, timelineOption, VISIBLE_ROWS } from './timeline-option'

// Zooming and panning are ECharts' own (instant, on the spans already laid out); after the
// view settles, the core is asked for the new window (with a margin either side, so a short pan
// needs no new request) and the worker lays it out. Each zoom's first frame is measured as
// `timeline:zoom-frame`, each window swap as `timeline:window`.

export interface TimelineView {
  runStartMs: number
  wallMs: number
}

interface Props {
  runId: string
  depth: number
  critical: string[]
  criticalOnly: boolean
  /** Relative ms to show first (e.g. around a span named in the address). */
  initialView: [number, number] | null
  onSelect(spanId: string): void
  onStats(s: { total: number; shown: number; rows: number; capped: boolean }): void
  controls: React.MutableRefObject<{ zoom(f: number): void; pan(f: number): void; reset(): void } | null>
}

const MARGIN = 0.5

export function TimelineChart({ runId, depth, critical, criticalOnly, initialView, onSelect, onStats, controls }: Props) {
  const [laid, setLaid] = useState<{ laid: LaidOut; win: TimelineWindow } | null>(null)
  const [fetchView, setFetchView] = useState<[number, number] | null>(initialView)
  const view = useRef<[number, number] | null>(initialView)
  const chart = useRef<ECharts | null>(null)
  const box = useRef<HTMLDivElement>(null)
  const lanes = useRef<Record<string, number>>({})
  const zoomStarted = useRef<number | null>(null)
  const swapStarted = useRef<number | null>(null)
  const latest = useRef(0)
  const wall = useRef(0)
  const viewStale = useRef(false)
  /** The view as the chart shows it now (ms since the run's start). */
  const currentView = useCallback((): [number, number] | null => {
    const c = chart.current
    if (viewStale.current && c) {
      viewStale.current = false
      const z = (c.getOption() as { dataZoom?: { startValue: number; endValue: number }[] }).dataZoom?.[0]
      if (z) view.current = [z.startValue, z.endValue]
    }
    return view.current
  }, [])

  // The critical path marks the next layouts; one already shown is re-marked in place.
  const criticalRef = useRef(critical)
  useEffect(() => {
    if (criticalRef.current === critical) return
    criticalRef.current = critical
    setLaid((l) => (l ? { ...l, laid: flagCritical(l.laid, l.win.spans.id, critical) } : l))
  }, [critical])

  // Fetch and lay out the window around the view.
  useEffect(() => {
    const ask = ++latest.current
    const width = Math.max(200, (box.current?.clientWidth ?? 1000) - 220)
    swapStarted.current = performance.now()
    void (async () => {
      const v = fetchView
      // A first view narrower than the run: the run's origin is known only after this first answer, so ask again then.
      const refineAfter = v !== null && !laid
      let params: { fromMs?: number; toMs?: number; width: number } = { width: Math.round(width * (1 + 2 * MARGIN)) }
      if (v && laid) {
        const span = v[1] - v[0]
        const origin = laid.win.runStartMs ?? laid.win.fromMs
        params = { ...params, fromMs: Math.max(origin, origin + v[0] - span * MARGIN), toMs: origin + v[1] + span * MARGIN }
        params.width = Math.round(width * ((params.toMs! - params.fromMs!) / span))
      }
      params.width = Math.min(8000, Math.max(10, params.width))
      const res = await client.call('spans.window', { id: runId, depth, ...params })
      if (!res.ok || ask !== latest.current) return
      const marked = criticalRef.current
      let out = await layoutInWorker({ win: res.data, depth, critical: marked, lanes: lanes.current })
      if (ask !== latest.current) return
      if (marked !== criticalRef.current) out = flagCritical(out, res.data.spans.id, criticalRef.current)
      lanes.current = out.lanes
      wall.current = (res.data.runEndMs ?? res.data.toMs) - (res.data.runStartMs ?? res.data.fromMs)
      setLaid({ laid: out, win: res.data })
      onStats({ total: res.data.total, shown: res.data.shown, rows: out.rows.length, capped: res.data.capped })
      if (refineAfter) setFetchView([v[0], v[1]])
    })()
    // `laid` is read for the origin only; a new layout must not trigger another fetch.
  }, [runId, depth, fetchView])

  const rows = laid?.laid.rows.length ?? 10
  const height = Math.max(260, Math.min(720, Math.min(rows, VISIBLE_ROWS) * ROW_PX + 90))
  const groups = useMemo(() => (laid ? groupItems(laid.laid, criticalOnly) : []), [laid, criticalOnly])
  const tip = useRef<HTMLDivElement>(null)
  const option = useCallback(
    (t: ChartTheme) => {
      if (!laid) return {}
      const v = currentView() ?? [0, wall.current]
      return timelineOption(laid.laid, groups, laid.win, t, v, wall.current, height)
    },
    [laid, groups, height, currentView],
  )

  const onReady = useCallback(
    (c: ECharts) => {
      chart.current = c
      let timer = 0
      // Only marked here: getOption() deep-copies every series' data, which cost a zoom frame
      // much of its budget; the view is read when it is next needed (see currentView).
      c.on('datazoom', () => {
        viewStale.current = true
        window.clearTimeout(timer)
        timer = window.setTimeout(() => setFetchView(currentView()), 180)
      })
      c.on('finished', () => {
        const now = performance.now()
        if (zoomStarted.current !== null) {
          performance.measure('timeline:zoom-frame', { start: zoomStarted.current, end: now })
          zoomStarted.current = null
        }
        if (swapStarted.current !== null) {
          performance.measure('timeline:window', { start: swapStarted.current, end: now })
          swapStarted.current = null
        }
      })
      // Hover and click: the item under the pointer (see timeline-hit.ts); the tooltip is a plain element.
      const zr = c.getZr()
      const under = (e: { offsetX: number; offsetY: number }) => {
        const l = laidRef.current
        return l ? { l, i: itemAtPixel(c, l.laid, e.offsetX, e.offsetY) } : null
      }
      zr.on('mousemove', (e) => {
        const hit = under(e)
        const el = tip.current
        if (!el) return
        if (!hit || hit.i < 0) return void (el.style.display = 'none')
        el.innerHTML = describeItem(hit.l.laid, hit.l.win, hit.i)
        el.style.display = 'block'
        el.style.left = `${Math.min(e.offsetX + 14, c.getWidth() - el.offsetWidth - 4)}px`
        el.style.top = `${e.offsetY + 14}px`
        zr.setCursorStyle('pointer')
      })
      zr.on('globalout', () => {
        if (tip.current) tip.current.style.display = 'none'
      })
      zr.on('click', (e) => {
        const hit = under(e)
        const s = hit && hit.i >= 0 ? hit.l.laid.span[hit.i] : -1
        if (hit && s >= 0) onSelect(hit.l.win.spans.id[s])
      })
    },
    [onSelect, currentView],
  )
  const laidRef = useRef(laid)
  laidRef.current = laid

  // Keyboard and toolbar zoom/pan go through ECharts' dataZoom action, like the mouse wheel.
  useEffect(() => {
    const apply = (a: number, b: number) => {
      const w = wall.current
      const span = Math.max(5, Math.min(w, b - a))
      const start = Math.max(0, Math.min(w - span, a))
      zoomStarted.current = performance.now()
      chart.current?.dispatchAction({ type: 'dataZoom', dataZoomIndex: 0, startValue: start, endValue: start + span })
    }
    controls.current = {
      zoom(f) {
        const [a, b] = currentView() ?? [0, wall.current]
        const mid = (a + b) / 2
        const half = ((b - a) / 2) * f
        apply(mid - half, mid + half)
      },
      pan(f) {
        const [a, b] = currentView() ?? [0, wall.current]
        apply(a + (b - a) * f, b + (b - a) * f)
      },
      reset: () => apply(0, wall.current),
    }
  }, [controls, currentView])

  return (
    <div
      ref={box}
      className="timeline-box"
      onWheelCapture={() => (zoomStarted.current = performance.now())}
      onMouseDownCapture={() => (zoomStarted.current = performance.now())}
      data-testid="timeline"
      data-spans-shown={laid?.win.shown ?? ''}
      data-spans-total={laid?.win.total ?? ''}
    >
      {laid ? (
        laid.win.total === 0 && !fetchView ? <p className="muted pad">This run has no timed spans to draw.</p> : (
          <>
            <EChart option={option} height={height} testId="chart-timeline" title="Agent timeline" onReady={onReady} />
            <div ref={tip} className="timeline-tip" role="tooltip" data-testid="timeline-tooltip" />
          </>
        )
      ) : (
        <p className="muted loading pad">Laying out the timeline…</p>
      )}
    </div>
  )
}
