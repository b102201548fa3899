import { useEffect, useState } from 'react'
import type { Series, SeriesMetric } from '../../../../shared/spans-dto'
import { client } from '../../client'
import type { WidgetLayout } from '../../stores/dashboard'

type Answer = { series: Series | null; error: string | null }

/** Chart widths in pixels, for the per-pixel series: the share of the content area the widget spans. */
export const pixelWidth = (w: number) => Math.max(200, Math.round(((window.innerWidth - 380) * w) / 12))

/** The metric behind each time widget (the series it asks the core for). */
export const SERIES_OF: Partial<Record<WidgetLayout['type'], SeriesMetric>> = { 'tokens-over-time': 'tokens', 'latency-over-time': 'latency', 'cumulative-cost': 'cost' }

// Whole-run series by run, metric and width: asked for as soon as the dashboard opens (right
// after its one-row summary, before the aggregates, which on a run not opened before take the
// core longer: the time charts draw meanwhile), and shared with the widgets that then ask for
// them. Zoomed windows are not kept. A changed run is read again.
const wholeRun = new Map<string, Promise<Answer>>()
client.on('runs.changed', (p) => {
  for (const k of [...wholeRun.keys()]) if (p.runIds.some((id) => k.startsWith(`${id}\n`))) wholeRun.delete(k)
})

function fetchSeries(runId: string, metric: SeriesMetric, range: [number, number] | null, width: number): Promise<Answer> {
  const w = Math.max(10, Math.min(8000, Math.round(width)))
  const ask = () => client.call('spans.series', { id: runId, metric, width: w, fromMs: range?.[0], toMs: range?.[1] })
    .then((res): Answer => (res.ok ? { series: res.data, error: null } : { series: null, error: res.error.message }))
  if (range) return ask()
  const key = `${runId}\n${metric}\n${w}`
  let p = wholeRun.get(key)
  if (!p) {
    p = ask()
    wholeRun.set(key, p)
    // A failed answer is not kept: the next visit asks again.
    void p.then((a) => a.error && wholeRun.get(key) === p && wholeRun.delete(key))
  }
  return p
}

/** Asks for the whole-run series of the time widgets in a layout, ahead of the widgets. */
export function prefetchSeries(runId: string, layout: WidgetLayout[]): void {
  for (const l of layout) {
    const metric = SERIES_OF[l.type]
    if (metric) void fetchSeries(runId, metric, null, pixelWidth(l.w))
  }
}

/** A per-pixel series of the run for the time range shown (null range: the whole run). */
export function useSeries(runId: string, metric: SeriesMetric, range: [number, number] | null, width: number): Answer {
  const [state, setState] = useState<Answer>({ series: null, error: null })
  useEffect(() => {
    let live = true
    void fetchSeries(runId, metric, range, width).then((a) => live && setState(a))
    return () => {
      live = false
    }
  }, [runId, metric, range, width])
  return state
}
