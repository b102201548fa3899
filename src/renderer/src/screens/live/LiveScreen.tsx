import { useCallback, useEffect, useRef, useState } from 'react'
import { compact, exact } from '../../../../shared/format'
import { EChart } from '../../charts/EChart'
import type { ECharts } from '../../charts/echarts'
import type { ChartTheme } from '../../charts/theme'
import { paths } from '../../lib/router'
import { LiveFeed, type ActiveRun } from './live-feed'

// The live monitor. React renders the frame once; every second the feed's figures are written
// into the tiles (textContent) and into the chart instance (setOption with new data), so the
// page does not reflow or re-render per tick. Only the list of active runs and the error list
// go through React, and only when their membership changes.

const TILES = [
  ['events', 'Records/s committed'],
  ['tokens', 'Tokens/s'],
  ['agents', 'Active agents'],
  ['runs', 'Runs being collected'],
  ['import', 'Import lines/s'],
  ['dropped', 'Dropped'],
  ['rejected', 'Rejected'],
  ['sampled', 'Sampled out'],
] as const

export function LiveScreen() {
  const tiles = useRef<Record<string, HTMLDivElement | null>>({})
  const chart = useRef<ECharts | null>(null)
  const [runs, setRuns] = useState<ActiveRun[]>([])
  const [errors, setErrors] = useState<string[]>([])
  const [sources, setSources] = useState<{ id: string; label: string; state: string }[]>([])
  const runsKey = useRef('')
  const errorsKey = useRef('')
  const sourcesKey = useRef('')

  const feedRef = useRef<LiveFeed | null>(null)

  useEffect(() => {
    const feed = new LiveFeed()
    feedRef.current = feed
    feed.start((f) => {
      const last = f.samples[f.samples.length - 1]
      const h = f.health
      const active = [...f.runs.values()]
      const put = (k: string, v: string) => {
        const el = tiles.current[k]
        if (el && el.textContent !== v) el.textContent = v
      }
      put('events', last ? compact(last.eventsPerSec) : '0')
      put('tokens', last ? compact(last.tokensPerSec) : '0')
      put('agents', exact(active.reduce((t, r) => t + r.agents, 0)))
      put('runs', exact(active.length))
      put('import', last ? compact(last.importLinesPerSec) : '0')
      put('dropped', exact(h?.totals.dropped ?? 0))
      put('rejected', exact(h?.totals.rejected ?? 0))
      put('sampled', exact(h?.totals.sampledOut ?? 0))
      chart.current?.setOption({
        series: [
          { data: f.samples.map((s) => [s.t, s.eventsPerSec]) },
          { data: f.samples.map((s) => [s.t, s.tokensPerSec]) },
          { data: f.samples.map((s) => [s.t, s.importLinesPerSec]) },
        ],
      })
      // Lists change rarely: re-render only when what they show changed.
      const rk = JSON.stringify(active.map((r) => [r.runId, r.name, r.records, r.agents, r.errors]))
      if (rk !== runsKey.current) {
        runsKey.current = rk
        setRuns(active)
      }
      const errs = (h?.sources ?? []).filter((s) => s.lastError).map((s) => `${new Date(s.lastError!.at).toISOString().slice(11, 19)} ${s.label}: ${s.lastError!.message}`)
      if (JSON.stringify(errs) !== errorsKey.current) {
        errorsKey.current = JSON.stringify(errs)
        setErrors(errs)
      }
      const src = (h?.sources ?? []).map((s) => ({ id: s.id, label: s.label, state: s.state }))
      if (JSON.stringify(src) !== sourcesKey.current) {
        sourcesKey.current = JSON.stringify(src)
        setSources(src)
      }
    })
    return () => feed.stop()
  }, [])

  // Built again only when the theme changes; it starts from the samples so far.
  const option = useCallback((t: ChartTheme) => {
    const samples = feedRef.current?.samples ?? []
    return {
    animation: false,
    grid: { left: 56, right: 56, top: 30, bottom: 30 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => compact(v) },
    xAxis: { type: 'time' },
    yAxis: [{ type: 'value', name: 'records/s' }, { type: 'value', name: 'tokens/s', splitLine: { show: false } }],
    series: [
      { name: 'Records/s', type: 'line', showSymbol: false, data: samples.map((s) => [s.t, s.eventsPerSec]) },
      { name: 'Tokens/s', type: 'line', showSymbol: false, yAxisIndex: 1, data: samples.map((s) => [s.t, s.tokensPerSec]), lineStyle: { color: t.palette[1] } },
      { name: 'Import lines/s', type: 'line', showSymbol: false, data: samples.map((s) => [s.t, s.importLinesPerSec]) },
    ],
    }
  }, [])

  return (
    <section className="live" aria-label="Live monitor">
      <header className="run-header">
        <div>
          <h1>Live</h1>
          <p className="muted">Runs being collected now, updated every second. Start collecting with <code>swarmscope serve</code> and point Claude Code hooks, an OTLP exporter or a claude-flow swarm at it (see Settings → Live sources); imports you drop show here too.</p>
        </div>
      </header>
      <section className="kpis" aria-label="Live figures" data-testid="live-tiles">
        {TILES.map(([k, label]) => (
          <div className="kpi" key={k}>
            <div className="kpi-label">{label}</div>
            <div className="kpi-value" ref={(el) => void (tiles.current[k] = el)} data-testid={`live-tile-${k}`}>0</div>
          </div>
        ))}
      </section>
      <section className="panel"><h3>Rates, last 5 minutes</h3><EChart option={option} height={260} testId="chart-live-rates" title="Live rates" onReady={(c) => (chart.current = c)} /></section>
      <div className="grid-2">
        <section className="panel">
          <h3>Runs being collected</h3>
          {runs.length === 0 ? (
            <p className="muted" data-testid="live-empty">Nothing is being collected right now. Live runs appear here as soon as a source sends records.</p>
          ) : (
            <table className="agents" data-testid="live-runs">
              <thead><tr><th>Run</th><th>Sources</th><th>Records</th><th>Agents</th><th>Tokens</th><th>Errors</th><th>Last record</th></tr></thead>
              <tbody>
                {runs.map((r) => (
                  <tr key={r.runId} data-run-id={r.runId}>
                    <td><a href={paths.dashboard(r.runId)}>{r.name}</a></td><td>{r.sources.join(', ')}</td><td>{exact(r.records)}</td><td>{exact(r.agents)}</td><td>{compact(r.tokens)}</td><td>{exact(r.errors)}</td>
                    <td>{new Date(r.lastRecordAt).toISOString().slice(11, 19)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="panel">
          <h3>Sources and latest errors</h3>
          {sources.length === 0 ? <p className="muted">No live source is running.</p> : (
            <ul className="sources" data-testid="live-sources">{sources.map((s) => <li key={s.id}><span className={`state ${s.state}`}>{s.state}</span> {s.label}</li>)}</ul>
          )}
          {errors.length > 0 && <ul className="errors" data-testid="live-errors">{errors.map((e, i) => <li key={i} className="error">{e}</li>)}</ul>}
        </section>
      </div>
    </section>
  )
}
