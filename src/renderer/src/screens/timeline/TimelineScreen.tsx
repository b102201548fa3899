import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { exact } from '../../../../shared/format'
import type { SpanDetail } from '../../../../shared/spans-dto'
import { client } from '../../client'
import { useRoute } from '../../lib/router'
import { useShortcuts } from '../../lib/shortcuts'
import { useExport } from '../../stores/export'
import { useRunData } from '../../stores/run-data'
import { RunHeader } from '../RunHeader'
import { SpanDetails } from './SpanDetails'
import { TimelineChart } from './TimelineChart'

const DEPTHS = ['Agents', 'Agents and LLM calls', 'Agents, LLM and tool calls']

export function TimelineScreen({ runId }: { runId: string }) {
  const summary = useRunData((s) => s.summary[runId])
  const overview = useRunData((s) => s.overview[runId])
  const analysis = useRunData((s) => s.analysis[runId])
  const focus = useRoute((s) => s.route.params.get('span'))
  const [depth, setDepth] = useState(2)
  const [criticalOnly, setCriticalOnly] = useState(false)
  const [selected, setSelected] = useState<SpanDetail | null>(null)
  const [stats, setStats] = useState<{ total: number; shown: number; rows: number; capped: boolean } | null>(null)
  // The first view of the chart: the whole run, or around the span named in the address. The
  // chart is keyed by that span, so following another link to this run re-opens it there.
  const [initial, setInitial] = useState<{ focus: string | null; view: [number, number] | null }>({ focus: null, view: null })
  const controls = useRef<{ zoom(f: number): void; pan(f: number): void; reset(): void } | null>(null)

  useEffect(() => {
    if (!summary) useRunData.getState().load(runId)
  }, [runId, summary])
  // After the chart has asked for its first window (child effects run first): the analysis is
  // slow on big runs (the core answers the window requests between its steps). The overview is
  // for the export dialog.
  const runReady = summary?.status === 'ready'
  useEffect(() => {
    if (!runReady) return
    if (!analysis) useRunData.getState().loadAnalysis(runId)
    if (!overview) useRunData.getState().loadOverview(runId)
  }, [runId, runReady, analysis, overview])

  const run = summary?.status === 'ready' ? summary.data : null
  const runStartMs = run?.startedAt ? Date.parse(run.startedAt) : 0
  const a = analysis?.status === 'ready' ? analysis.data : null
  const critical = useMemo(() => a?.structure.criticalPath.spanIds ?? [], [a])
  const criticalSet = useMemo(() => new Set(critical), [critical])

  const select = useCallback(async (spanId: string) => {
    const res = await client.call('spans.get', { id: runId, spanId })
    if (res.ok) setSelected(res.data)
    return res.ok ? res.data : null
  }, [runId])

  // A span named in the address (from an insight or anomaly): open it, and start zoomed around it.
  useEffect(() => {
    if (!focus || !run) return
    void select(focus).then((s) => {
      if (!s || s.startMs === null) return setInitial({ focus, view: null })
      const len = Math.max(1000, (s.endMs ?? s.startMs) - s.startMs)
      setInitial({ focus, view: [Math.max(0, s.startMs - runStartMs - len * 3), s.startMs - runStartMs + len * 4] })
    })
  }, [focus, run, runStartMs, select])

  const shortcuts = useMemo(() => [
    { keys: '+', label: 'Zoom in', run: () => controls.current?.zoom(0.5) },
    { keys: '=', label: 'Zoom in', run: () => controls.current?.zoom(0.5) },
    { keys: '-', label: 'Zoom out', run: () => controls.current?.zoom(2) },
    { keys: 'ArrowLeft', label: 'Pan left', run: () => controls.current?.pan(-0.25) },
    { keys: 'ArrowRight', label: 'Pan right', run: () => controls.current?.pan(0.25) },
    { keys: '0', label: 'Whole run', run: () => controls.current?.reset() },
  ], [])
  useShortcuts(shortcuts)

  if (summary?.status === 'error') return <div className="empty"><p className="error">{summary.message}</p></div>
  if (!run) return <p className="muted loading pad">Loading the run…</p>
  return (
    <div className="run-screen">
      <div className="run-main">
        <RunHeader run={run} view="timeline">
          <button className="primary" onClick={() => useExport.getState().open({ kind: 'chart', chartId: 'chart-timeline', runId })} title="Export (e)">Export…</button>
        </RunHeader>
        <div className="toolbar">
          <select value={depth} onChange={(e) => setDepth(Number(e.target.value))} aria-label="Detail" data-testid="timeline-depth">
            {DEPTHS.map((d, i) => <option key={i} value={i}>{d}</option>)}
          </select>
          <button onClick={() => controls.current?.zoom(0.5)} title="Zoom in (+)" aria-label="Zoom in" data-testid="zoom-in">+</button>
          <button onClick={() => controls.current?.zoom(2)} title="Zoom out (−)" aria-label="Zoom out" data-testid="zoom-out">−</button>
          <button onClick={() => controls.current?.reset()} title="Whole run (0)" data-testid="zoom-reset">Whole run</button>
          <label className="check" title={a ? `${critical.length} spans on the critical path` : 'waiting for the analysis'}>
            <input type="checkbox" checked={criticalOnly} onChange={(e) => setCriticalOnly(e.target.checked)} disabled={!a} data-testid="critical-only" />
            Highlight the critical path{a ? '' : ' (analysing…)'}
          </label>
          {stats && (
            <span className="muted" data-testid="timeline-stats">
              {exact(stats.shown)} spans drawn one by one{stats.total > stats.shown ? `, ${exact(stats.total - stats.shown)} short ones merged per pixel (zoom in to separate them)` : ''} · {exact(stats.rows)} rows
            </span>
          )}
        </div>
        <p className="muted legend-line">
          <span className="swatch llm" /> LLM call <span className="swatch tool" /> tool call <span className="swatch agent" /> agent lifetime <span className="swatch error" /> error <span className="swatch critical" /> critical path · wheel to zoom, drag to pan, click a span for details
        </p>
        {initial.focus === focus && (
          <TimelineChart key={focus ?? ''} runId={runId} depth={depth} critical={critical} criticalOnly={criticalOnly} initialView={initial.view} onSelect={(id) => void select(id)} onStats={setStats} controls={controls} />
        )}
      </div>
      {selected ? (
        <SpanDetails span={selected} runStartMs={runStartMs} critical={criticalSet.has(selected.id)} anomaly={a?.anomalies.find((x) => x.spanId === selected.id)} onClose={() => setSelected(null)} />
      ) : (
        <aside className="side-panel"><h2>Span details</h2><p className="muted">Click a span in the timeline to see its tokens, cost, model, tool input size and error.</p></aside>
      )}
    </div>
  )
}
