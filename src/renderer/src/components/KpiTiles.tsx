import type { RunSummary } from '../../../shared/dto'
import { duration, exact, usd } from '../../../shared/format'

interface Tile {
  id: string
  label: string
  value: number | null
  text: string
}

export function KpiTiles({ run }: { run: RunSummary }) {
  const tiles: Tile[] = [
    { id: 'duration', label: 'Wall time', value: run.durationMs, text: duration(run.durationMs) },
    { id: 'agents', label: 'Agents', value: run.agents, text: exact(run.agents) },
    { id: 'llm-calls', label: 'LLM calls', value: run.llmCalls, text: exact(run.llmCalls) },
    { id: 'tool-calls', label: 'Tool calls', value: run.toolCalls, text: exact(run.toolCalls) },
    { id: 'input-tokens', label: 'Input tokens', value: run.inputTokens, text: exact(run.inputTokens) },
    { id: 'output-tokens', label: 'Output tokens', value: run.outputTokens, text: exact(run.outputTokens) },
    { id: 'cache-creation-tokens', label: 'Cache write tokens', value: run.cacheCreationTokens, text: exact(run.cacheCreationTokens) },
    { id: 'cache-read-tokens', label: 'Cache read tokens', value: run.cacheReadTokens, text: exact(run.cacheReadTokens) },
    { id: 'cost', label: run.unpricedModels.length ? 'Cost (some models unpriced)' : 'Cost', value: run.costUsd, text: usd(run.costUsd) },
    { id: 'errors', label: 'Errors', value: run.errors, text: exact(run.errors) },
  ]
  return (
    <section className="kpis" aria-label="Key figures">
      {tiles.map((t) => (
        <div className="kpi" key={t.id} data-testid={`kpi-${t.id}`} data-value={t.value ?? ''}>
          <div className="kpi-label">{t.label}</div>
          <div className="kpi-value">{t.text}</div>
        </div>
      ))}
    </section>
  )
}
