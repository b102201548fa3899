import { compact, duration, usd } from '../../../shared/format'
import { useRuns } from '../stores/runs'

export function RunsList() {
  const runs = useRuns((s) => s.runs)
  const selectedId = useRuns((s) => s.selectedId)
  const select = useRuns((s) => s.select)
  if (runs.length === 0) return null
  return (
    <nav className="runs" aria-label="Runs">
      <h2>Runs</h2>
      <ul>
        {runs.map((r) => (
          <li key={r.id}>
            <button className={r.id === selectedId ? 'run selected' : 'run'} onClick={() => void select(r.id)} data-run-id={r.id}>
              <span className="run-name">{r.name}</span>
              <span className="run-meta">
                {r.source} · {r.startedAt?.slice(0, 16).replace('T', ' ')} · {duration(r.durationMs)} · {compact(r.inputTokens + r.outputTokens + r.cacheCreationTokens + r.cacheReadTokens)} tokens · {usd(r.costUsd)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  )
}
