import { useEffect } from 'react'
import { KpiTiles } from '../../components/KpiTiles'
import { useDashboard, DEFAULT_LAYOUT, type WidgetType } from '../../stores/dashboard'
import { useExport } from '../../stores/export'
import { useRunData } from '../../stores/run-data'
import { RunHeader } from '../RunHeader'
import { InsightsPanel } from './InsightsPanel'
import { Widget } from './Widget'
import { WIDGET_TITLES, WidgetBody } from './widgets'

const ALL_TYPES = Object.keys(WIDGET_TITLES) as WidgetType[]

export function DashboardScreen({ runId }: { runId: string }) {
  const overview = useRunData((s) => s.overview[runId])
  const breakdown = useRunData((s) => s.breakdown[runId])
  const analysis = useRunData((s) => s.analysis[runId])
  const layout = useDashboard((s) => s.layout)
  const range = useDashboard((s) => s.range)

  // Load whatever is missing (again after a runs.changed event dropped it from the cache).
  useEffect(() => {
    if (!overview || !breakdown) useRunData.getState().load(runId)
  }, [runId, overview, breakdown])
  // The analysis takes seconds on big runs and the core answers one request at a time: ask for it
  // only once the widgets are mounted (their effects run before this one), so the charts come first.
  const quickReady = overview?.status === 'ready' && breakdown?.status === 'ready'
  useEffect(() => {
    if (quickReady && !analysis) useRunData.getState().loadAnalysis(runId)
  }, [runId, quickReady, analysis])
  useEffect(() => () => useDashboard.getState().setRange(null), [runId])

  const failed = [overview, breakdown].find((x) => x?.status === 'error')
  if (failed?.status === 'error') return <div className="empty"><h1>Cannot show this run</h1><p className="error">{failed.message}</p><p><a href="#/">Back to the runs</a></p></div>
  if (overview?.status !== 'ready' || breakdown?.status !== 'ready') return <p className="muted loading pad">Loading the run…</p>

  const run = overview.data.run
  const data = { runId: run.id, overview: overview.data, breakdown: breakdown.data, analysis: analysis?.status === 'ready' ? analysis.data : null }
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
      <InsightsPanel runId={run.id} analysis={data.analysis} error={analysis?.status === 'error' ? analysis.message : null} />
    </div>
  )
}
