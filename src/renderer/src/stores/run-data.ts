import { create } from 'zustand'
import type { RunAnalysis } from '../../../shared/analysis-dto'
import type { RunOverview, RunSummary } from '../../../shared/dto'
import type { Breakdown, LocatedSpan } from '../../../shared/spans-dto'
import { client } from '../client'

// What the run screens read about one run, cached per run id while the app is open. The run's
// summary (precomputed at import) comes first and shows the header and KPI tiles at once; the
// aggregates behind the charts next; the full analysis (insights, anomalies, critical path)
// takes seconds on big runs and is laid over the charts when it arrives, with the spans its
// findings name located in one request.

type Load<T> = { status: 'loading' } | { status: 'ready'; data: T } | { status: 'error'; message: string }

/** Spans named by the analysis (insights' evidence, top anomalies), by id. */
export type Located = Map<string, LocatedSpan>

type Key = 'summary' | 'overview' | 'breakdown' | 'analysis' | 'located'

interface RunDataState {
  summary: Record<string, Load<RunSummary>>
  overview: Record<string, Load<RunOverview>>
  breakdown: Record<string, Load<Breakdown>>
  analysis: Record<string, Load<RunAnalysis>>
  located: Record<string, Load<Located>>
  /** The run's summary (one row, precomputed at import). */
  load(runId: string): void
  /** The aggregates behind the dashboard's charts. */
  loadBreakdown(runId: string): void
  /** Per agent figures (the agents table, the export dialog): after the charts in view have drawn. */
  loadOverview(runId: string): void
  /** The analysis, then the spans it names. */
  loadAnalysis(runId: string): void
  forget(runIds?: string[]): void
}

/** How many anomalies are placed on the charts (the side list shows more). */
export const ANOMALIES_ON_CHARTS = 40

export const useRunData = create<RunDataState>((set, get) => {
  const fetchInto = <K extends Key>(key: K, runId: string, call: () => Promise<{ ok: true; data: unknown } | { ok: false; error: { message: string } }>, then?: () => void) => {
    if (get()[key][runId]) return
    set({ [key]: { ...get()[key], [runId]: { status: 'loading' } } } as never)
    void call().then((res) => {
      // Dropped meanwhile (the run changed): the answer is stale.
      if (get()[key][runId]?.status !== 'loading') return
      set({ [key]: { ...get()[key], [runId]: res.ok ? { status: 'ready', data: res.data } : { status: 'error', message: res.error.message } } } as never)
      if (res.ok) then?.()
    })
  }
  const locate = (runId: string) => {
    const a = get().analysis[runId]
    if (a?.status !== 'ready') return
    const ids = [...new Set([...a.data.insights.flatMap((i) => i.spanIds), ...a.data.anomalies.slice(0, ANOMALIES_ON_CHARTS).map((x) => x.spanId)])]
    fetchInto('located', runId, async () => {
      const res = await client.call('spans.locate', { id: runId, spanIds: ids.slice(0, 1000) })
      return res.ok ? { ok: true, data: new Map(res.data.map((s) => [s.spanId, s])) } : res
    })
  }
  return {
    summary: {},
    overview: {},
    breakdown: {},
    analysis: {},
    located: {},
    load(runId) {
      fetchInto('summary', runId, () => client.call('runs.get', { id: runId }))
    },
    loadBreakdown(runId) {
      fetchInto('breakdown', runId, () => client.call('spans.breakdown', { id: runId }))
    },
    loadOverview(runId) {
      fetchInto('overview', runId, () => client.call('runs.overview', { id: runId, maxPoints: 400 }))
    },
    loadAnalysis(runId) {
      fetchInto('analysis', runId, () => client.call('analysis.run', { id: runId }), () => locate(runId))
    },
    forget(runIds) {
      const drop = <T,>(m: Record<string, T>) => (runIds ? Object.fromEntries(Object.entries(m).filter(([k]) => !runIds.includes(k))) : {})
      const s = get()
      set({ summary: drop(s.summary), overview: drop(s.overview), breakdown: drop(s.breakdown), analysis: drop(s.analysis), located: drop(s.located) })
    },
  }
})

// A changed run (re-import, rename, new tags, live data) is read again when next shown.
client.on('runs.changed', (p) => useRunData.getState().forget(p.runIds))
