import { useEffect, useState } from 'react'
import type { RunAnalysis } from '../../../../shared/analysis-dto'
import type { Series, SeriesMetric } from '../../../../shared/spans-dto'
import type { AnomalyPoint } from '../../charts/time-charts'
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

/** The LLM-call anomalies placed in time (the analysis names spans; their times come from spans.get). */
export function useAnomalyPoints(runId: string, analysis: RunAnalysis | null, kind: 'llm' | 'tool' = 'llm'): AnomalyPoint[] {
  const [points, setPoints] = useState<AnomalyPoint[]>([])
  useEffect(() => {
    if (!analysis) return
    let live = true
    const top = analysis.anomalies.filter((a) => a.kind === kind).slice(0, 40)
    void Promise.all(top.map((a) => client.call('spans.get', { id: runId, spanId: a.spanId }))).then((res) => {
      if (!live) return
      setPoints(res.flatMap((r, i) => (r.ok && (r.data.endMs ?? r.data.startMs) !== null ? [{ t: (r.data.endMs ?? r.data.startMs)!, latencyMs: top[i].latencyMs, anomaly: top[i] }] : [])))
    })
    return () => {
      live = false
    }
  }, [runId, analysis, kind])
  return points
}
