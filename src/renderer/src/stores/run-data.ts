import { create } from 'zustand'
import type { RunAnalysis } from '../../../shared/analysis-dto'
import type { RunOverview } from '../../../shared/dto'
import type { Breakdown } from '../../../shared/spans-dto'
import { client } from '../client'

// What the run screens read about one run, cached per run id while the app is open. The quick
// answers (overview, breakdown) come first; the full analysis (insights, anomalies, critical
// path) takes seconds on big runs and is laid over the charts when it arrives.

type Load<T> = { status: 'loading' } | { status: 'ready'; data: T } | { status: 'error'; message: string }

interface RunDataState {
  overview: Record<string, Load<RunOverview>>
  breakdown: Record<string, Load<Breakdown>>
  analysis: Record<string, Load<RunAnalysis>>
  load(runId: string): void
  loadAnalysis(runId: string): void
  forget(runIds?: string[]): void
}

export const useRunData = create<RunDataState>((set, get) => {
  const fetchInto = <K extends 'overview' | 'breakdown' | 'analysis'>(key: K, runId: string, call: () => Promise<{ ok: true; data: unknown } | { ok: false; error: { message: string } }>) => {
    if (get()[key][runId]) return
    set({ [key]: { ...get()[key], [runId]: { status: 'loading' } } } as never)
    void call().then((res) =>
      set({ [key]: { ...get()[key], [runId]: res.ok ? { status: 'ready', data: res.data } : { status: 'error', message: res.error.message } } } as never),
    )
  }
  return {
    overview: {},
    breakdown: {},
    analysis: {},
    load(runId) {
      fetchInto('overview', runId, () => client.call('runs.overview', { id: runId, maxPoints: 400 }))
      fetchInto('breakdown', runId, () => client.call('spans.breakdown', { id: runId }))
    },
    loadAnalysis(runId) {
      fetchInto('analysis', runId, () => client.call('analysis.run', { id: runId }))
    },
    forget(runIds) {
      const drop = <T,>(m: Record<string, T>) => (runIds ? Object.fromEntries(Object.entries(m).filter(([k]) => !runIds.includes(k))) : {})
      set({ overview: drop(get().overview), breakdown: drop(get().breakdown), analysis: drop(get().analysis) })
    },
  }
})

// A changed run (re-import, rename, new tags, live data) is read again when next shown.
client.on('runs.changed', (p) => useRunData.getState().forget(p.runIds))
