import { useEffect } from 'react'
import { afterDraws } from '../../charts/draw-queue'
import { KpiTiles } from '../../components/KpiTiles'
import { useDashboard, DEFAULT_LAYOUT, type WidgetType } from '../../stores/dashboard'
import { useExport } from '../../stores/export'
import { useRunData } from '../../stores/run-data'
import { RunHeader } from '../RunHeader'
import { InsightsPanel } from './InsightsPanel'
import { prefetchDashboard } from './prefetch'
import { Widget } from './Widget'
import { WIDGET_TITLES, WidgetBody, type WidgetData } from './widgets'

const ALL_TYPES = Object.keys(WIDGET_TITLES) as WidgetType[]

/** Runs `f` when the browser is idle (at the latest after `ms`); returns a cancel function. */
function whenIdle(f: () => void, ms: number): () => void {
  if (typeof requestIdleCallback !== 'function') {
    const t = setTimeout(f, ms) // Safari has no requestIdleCallback
    return () => clearTimeout(t)
  }
  const id = requestIdleCallback(f, { timeout: ms })
  return () => cancelIdleCallback(id)
}

export function DashboardScreen({ runId }: { runId: string }) {
  const summary = useRunData((s) => s.summary[runId])
  const overview = useRunData((s) => s.overview[runId])
  const breakdown = useRunData((s) => s.breakdown[runId])
  const analysis = useRunData((s) => s.analysis[runId])
  const located = useRunData((s) => s.located[runId])
  const layout = useDashboard((s) => s.layout)
  const range = useDashboard((s) => s.range)

  // Load whatever is missing (again after a runs.changed event dropped it from the cache); the
  // first time, in the order prefetchDashboard explains.
  useEffect(() => prefetchDashboard(runId), [runId])
  useEffect(() => {
    if (!summary) useRunData.getState().load(runId)
    if (!breakdown) useRunData.getState().loadBreakdown(runId)
  }, [runId, summary, breakdown])
  // The per-agent table (below the fold) and the analysis (seconds on big runs) are asked for once
  // the charts in view have drawn: the core answers one request at a time and shares the CPU with
  // the browser, so neither may hold up the first screen (the table's query took a core busy with
  // it while those charts drew). The analysis also waits for an idle moment, as drawing its
  // overlays means drawing those charts again.
  const quickReady = breakdown?.status === 'ready'
  useEffect(() => {
    if (!quickReady || (overview && analysis)) return
    let cancelIdle = () => {}
    const cancelWait = afterDraws(() => {
      if (!overview) useRunData.getState().loadOverview(runId)
      if (!analysis) cancelIdle = whenIdle(() => useRunData.getState().loadAnalysis(runId), 400)
    })
    return () => {
      cancelWait()
      cancelIdle()
    }
  }, [runId, quickReady, overview, analysis])
  useEffect(() => () => useDashboard.getState().setRange(null), [runId])

  if (summary?.status === 'error') return <div className="empty"><h1>Cannot show this run</h1><p className="error">{summary.message}</p><p><a href="#/">Back to the runs</a></p></div>
  if (summary?.status !== 'ready') return <p className="muted loading pad">Loading the run…</p>

  const run = summary.data
  const data: WidgetData = {
    runId: run.id,
    overview: overview?.status === 'ready' ? overview.data : null,
    breakdown: breakdown?.status === 'ready' ? breakdown.data : null,
    breakdownError: breakdown?.status === 'error' ? breakdown.message : null,
    analysis: analysis?.status === 'ready' ? analysis.data : null,
    located: located?.status === 'ready' ? located.data : null,
  }
  const missing = ALL_TYPES.filter((t) => !layout.some((w) => w.type === t))
  return (
    <div className="run-screen">
      <div className="run-main">
        <RunHeader run={run} view="dashboard">
          {range && <button onClick={() => useDashboard.getState().setRange(null)} data-testid="reset-zoom">Show whole run</button>}
          <select value="" onChange={(e) => e.target.value && useDashboard.getState().add(e.target.value as WidgetType)} aria-label="Add a widget" data-testid="add-widget">
            <option value="">Add widget…</option>
            {(missing.length ? missing : ALL_TYPES).map((t) => <option key={t} value={t}>{WIDGET_TITLES[t]}</option>)}
          </select>
          {layout !== DEFAULT_LAYOUT && <button onClick={() => useDashboard.getState().reset()} data-testid="reset-layout">Reset layout</button>}
          <button className="primary" onClick={() => useExport.getState().open({ kind: 'dashboard', runId: run.id })} title="Export (e)" data-testid="export-dashboard">Export…</button>
        </RunHeader>
        <KpiTiles run={run} />
        {run.spans === 0 ? (
          <p className="empty">This run has no spans: only {run.events} events and {run.metricSamples} metric samples were read from its files.</p>
        ) : layout.length === 0 ? (
          <p className="empty">No widgets. Add one from “Add widget…” above, or reset the layout.</p>
        ) : (
          <div className="widget-grid" data-testid="widget-grid">
            {layout.map((w, i) => (
              <Widget key={w.id} layout={w} index={i} title={WIDGET_TITLES[w.type]} chartId={w.type === 'agents-table' ? undefined : `chart-${w.type}`}>
                <WidgetBody d={data} l={w} />
              </Widget>
            ))}
          </div>
        )}
      </div>
      <InsightsPanel runId={run.id} analysis={data.analysis} located={data.located} error={analysis?.status === 'error' ? analysis.message : null} />
    </div>
  )
}
