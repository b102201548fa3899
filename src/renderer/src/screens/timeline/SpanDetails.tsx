import type { SpanAnomaly } from '../../../../shared/analysis-dto'
import { duration, exact, usd } from '../../../../shared/format'
import type { SpanDetail } from '../../../../shared/spans-dto'

const bytes = (n: number | null) => (n === null ? '—' : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : n >= 1e4 ? `${(n / 1e3).toFixed(1)} kB` : `${exact(n)} B`)
const num = (n: number | null) => (n === null ? '—' : exact(n))

/** What one span was: timing, tokens, cost, model, tool input size, error, and whether it was on the critical path. */
export function SpanDetails({ span, runStartMs, critical, anomaly, onClose }: { span: SpanDetail; runStartMs: number; critical: boolean; anomaly: SpanAnomaly | undefined; onClose(): void }) {
  const rows: [string, string][] = [
    ['Kind', span.kind],
    ['Agent', span.agentName ?? span.agentId ?? '—'],
    ['Starts', span.startMs === null ? '—' : `+${duration(span.startMs - runStartMs)}`],
    ['Duration', duration(span.durationMs)],
    ['Status', span.status],
  ]
  if (span.kind === 'llm') {
    rows.push(['Model', span.model ?? '—'], ['Input tokens', num(span.inputTokens)], ['Output tokens', num(span.outputTokens)], ['Cache write tokens', num(span.cacheCreationTokens)], ['Cache read tokens', num(span.cacheReadTokens)], ['Cost', span.costUsd === null ? 'not priced' : usd(span.costUsd)])
    if (span.reportedCostUsd !== null) rows.push(['Reported cost', usd(span.reportedCostUsd)])
  }
  if (span.kind === 'tool') rows.push(['Tool input size', bytes(span.inputBytes)], ['Tool output size', bytes(span.outputBytes)])
  rows.push(['Child spans', exact(span.children)], ['Critical path', critical ? 'yes' : 'no'])
  return (
    <aside className="side-panel span-details" aria-label="Span details" data-testid="span-details">
      <header><h2 title={span.id}>{span.name}</h2><button className="icon" onClick={onClose} aria-label="Close details">✕</button></header>
      {span.error && <p className="error" data-testid="span-error">{span.error}</p>}
      {anomaly && <p className="warn">Unusually slow: {duration(anomaly.latencyMs)} vs median {duration(Math.round(anomaly.groupMedianMs))} ({anomaly.severity}, score {anomaly.score.toFixed(1)})</p>}
      <table className="evidence">
        <tbody>{rows.map(([k, v]) => <tr key={k} data-field={k}><th>{k}</th><td>{v}</td></tr>)}</tbody>
      </table>
      <p className="muted small">{span.id}</p>
    </aside>
  )
}
