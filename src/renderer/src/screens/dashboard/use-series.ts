import { useEffect, useState } from 'react'
import type { Series, SeriesMetric } from '../../../../shared/spans-dto'
import { client } from '../../client'

/** A per-pixel series of the run for the time range shown (null range: the whole run). */
export function useSeries(runId: string, metric: SeriesMetric, range: [number, number] | null, width: number): { series: Series | null; error: string | null } {
  const [state, setState] = useState<{ series: Series | null; error: string | null }>({ series: null, error: null })
  useEffect(() => {
    let live = true
    void client.call('spans.series', { id: runId, metric, width: Math.max(10, Math.min(8000, Math.round(width))), fromMs: range?.[0], toMs: range?.[1] }).then((res) => {
      if (!live) return
      setState(res.ok ? { series: res.data, error: null } : { series: null, error: res.error.message })
    })
    return () => {
      live = false
    }
  }, [runId, metric, range, width])
  return state
}
