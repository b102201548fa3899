import type { RunAnalysis } from '../../../../shared/analysis-dto'
import { duration } from '../../../../shared/format'
import { paths } from '../../lib/router'

const pct = (x: number) => `${Math.round(100 * x)} %`
const evidenceValue = (v: number | string | null) => (v === null ? '—' : typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toPrecision(4)) : v)

/** The analysis' findings beside the charts: each insight with its evidence, then the anomalies. */
export function InsightsPanel({ runId, analysis, error }: { runId: string; analysis: RunAnalysis | null; error: string | null }) {
  if (error) return <aside className="side-panel"><p className="error">Analysis failed: {error}</p></aside>
  if (!analysis) return <aside className="side-panel" data-testid="insights-loading"><h2>Insights</h2><p className="muted loading">Analysing every span of this run…</p></aside>
  return (
    <aside className="side-panel" aria-label="Insights and anomalies" data-testid="insights-panel">
      <h2>Insights <span className="count">{analysis.insights.length}</span></h2>
      {analysis.insights.length === 0 && <p className="muted">Nothing stands out in this run.</p>}
      <ol className="insights">
        {analysis.insights.map((i) => (
          <li key={`${i.kind}-${i.rank}`} data-testid="insight">
            <details>
              <summary>
                <strong>{i.title}</strong>
                <span className="badge" title={`confidence from ${i.confidenceMethod}`}>{pct(i.confidence)} sure</span>
              </summary>
              <p>{i.detail}</p>
              <table className="evidence">
                <tbody>
                  {Object.entries(i.evidence).map(([k, v]) => <tr key={k}><th>{k}</th><td>{evidenceValue(v)}</td></tr>)}
                  <tr><th>impact</th><td>{pct(i.impact)}</td></tr>
                </tbody>
              </table>
              {i.spanIds.length > 0 && <a href={`${paths.timeline(runId)}?span=${encodeURIComponent(i.spanIds[0])}`}>Show in the timeline</a>}
            </details>
          </li>
        ))}
      </ol>
      <h2>Anomalies <span className="count" data-testid="anomaly-count">{analysis.anomalies.length}</span></h2>
      {analysis.anomalies.length === 0 && <p className="muted">No call was unusually slow for its kind.</p>}
      <ul className="anomalies">
        {analysis.anomalies.slice(0, 50).map((a) => (
          <li key={a.spanId} className={`sev-${a.severity}`} data-testid="anomaly">
            <a href={`${paths.timeline(runId)}?span=${encodeURIComponent(a.spanId)}`} title={a.method}>
              <span className="sev">{a.severity}</span> {a.name}: {duration(a.latencyMs)} <span className="muted">vs median {duration(Math.round(a.groupMedianMs))} of {a.groupSize}</span>
            </a>
          </li>
        ))}
      </ul>
    </aside>
  )
}
