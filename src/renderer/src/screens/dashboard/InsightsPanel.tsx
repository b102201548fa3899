import { useEffect, useRef } from 'react'
import type { Insight, RunAnalysis } from '../../../../shared/analysis-dto'
import { compact, duration, usd } from '../../../../shared/format'
import type { Located } from '../../charts/insight-marks'
import { paths } from '../../lib/router'
import { useDashboard } from '../../stores/dashboard'

const pct = (x: number) => `${Math.round(100 * x)} %`
const evidenceValue = (v: number | string | null) => (v === null ? '—' : typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toPrecision(4)) : v)
const spanLink = (runId: string, spanId: string) => `${paths.timeline(runId)}?span=${encodeURIComponent(spanId)}`

/** The spans an insight names, with what the charts show of them; each opens in the timeline. */
function EvidenceSpans({ runId, insight, located, runStartMs }: { runId: string; insight: Insight; located: Located | null; runStartMs: number | null }) {
  if (insight.spanIds.length === 0) return null
  return (
    <ul className="evidence-spans" data-testid="insight-spans">
      {insight.spanIds.map((id) => {
        const s = located?.get(id)
        const at = s?.startMs !== null && s?.startMs !== undefined && runStartMs !== null ? `+${duration(s.startMs - runStartMs)}` : null
        const took = s && s.startMs !== null && s.endMs !== null ? duration(s.endMs - s.startMs) : null
        return (
          <li key={id}>
            <a href={spanLink(runId, id)}>{s ? `${s.kind} “${s.name}”` : id}</a>
            {s && <span className="muted"> {[at, took, s.tokens !== null ? `${compact(s.tokens)} tokens` : null, s.costUsd !== null ? usd(s.costUsd) : null].filter(Boolean).join(' · ')}</span>}
          </li>
        )
      })}
    </ul>
  )
}

/**
 * The analysis' findings beside the charts: each insight with its evidence (figures and the
 * spans it names), then the anomalies. The ranks match the pins on the charts; a pin clicked
 * there opens its insight here.
 */
export function InsightsPanel({ runId, analysis, located, error }: { runId: string; analysis: RunAnalysis | null; located: Located | null; error: string | null }) {
  const focused = useDashboard((s) => s.focused)
  const list = useRef<HTMLOListElement>(null)
  useEffect(() => {
    if (!focused) return
    const item = list.current?.querySelector<HTMLDetailsElement>(`[data-rank="${focused.rank}"] details`)
    if (!item) return
    item.open = true
    item.scrollIntoView({ block: 'nearest' })
  }, [focused])
  useEffect(() => () => useDashboard.getState().focusInsight(null), [runId])

  if (error) return <aside className="side-panel"><p className="error">Analysis failed: {error}</p></aside>
  if (!analysis) return <aside className="side-panel" data-testid="insights-loading"><h2>Insights</h2><p className="muted loading">Analysing every span of this run…</p></aside>
  return (
    <aside className="side-panel" aria-label="Insights and anomalies" data-testid="insights-panel">
      <h2>Insights <span className="count">{analysis.insights.length}</span></h2>
      {analysis.insights.length === 0 && <p className="muted">Nothing stands out in this run.</p>}
      <ol className="insights" ref={list}>
        {analysis.insights.map((i) => (
          <li key={`${i.kind}-${i.rank}`} data-testid="insight" data-rank={i.rank} data-kind={i.kind} className={focused?.rank === i.rank ? 'focused' : undefined}>
            <details>
              <summary>
                <span className="rank">#{i.rank}</span> <strong>{i.title}</strong>
                <span className="badge" title={`confidence from ${i.confidenceMethod}`}>{pct(i.confidence)} sure</span>
              </summary>
              <p>{i.detail}</p>
              <table className="evidence">
                <tbody>
                  {Object.entries(i.evidence).map(([k, v]) => <tr key={k}><th>{k}</th><td>{evidenceValue(v)}</td></tr>)}
                  <tr><th>impact</th><td>{pct(i.impact)}</td></tr>
                </tbody>
              </table>
              <EvidenceSpans runId={runId} insight={i} located={located} runStartMs={analysis.structure.startMs} />
            </details>
          </li>
        ))}
      </ol>
      <h2>Anomalies <span className="count" data-testid="anomaly-count">{analysis.anomalies.length}</span></h2>
      {analysis.anomalies.length === 0 && <p className="muted">No call was unusually slow for its kind.</p>}
      <ul className="anomalies">
        {analysis.anomalies.slice(0, 50).map((a) => (
          <li key={a.spanId} className={`sev-${a.severity}`} data-testid="anomaly">
            <a href={spanLink(runId, a.spanId)} title={a.method}>
              <span className="sev">{a.severity}</span> {a.name}: {duration(a.latencyMs)} <span className="muted">vs median {duration(Math.round(a.groupMedianMs))} of {a.groupSize}</span>
            </a>
          </li>
        ))}
      </ul>
    </aside>
  )
}
