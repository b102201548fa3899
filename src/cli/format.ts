import type { RunSummary } from '../shared/dto'
import { byteSize, compact, duration, usd } from '../shared/format'

export { byteSize, compact, duration, usd }

export function table(rows: string[][]): string {
  // reduce, not Math.max(...): a table of more than ~125,000 runs would overflow the call stack.
  const widths = rows[0].map((_, i) => rows.reduce((w, r) => Math.max(w, r[i].length), 0))
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).join('\n')
}

export function runsTable(runs: RunSummary[]): string {
  if (runs.length === 0) return 'No runs yet. Import your Claude Code sessions: swarmscope import'
  const header = ['run', 'name', 'group', 'started', 'duration', 'agents', 'llm', 'tools', 'tokens in/out', 'cost']
  return table([
    header,
    ...runs.map((r) => [
      r.id, r.name, r.group ?? '', r.startedAt?.slice(0, 16).replace('T', ' ') ?? '', duration(r.durationMs), String(r.agents),
      String(r.llmCalls), String(r.toolCalls), `${compact(r.inputTokens + r.cacheCreationTokens + r.cacheReadTokens)}/${compact(r.outputTokens)}`,
      usd(r.costUsd) + (r.unpricedModels.length ? '*' : ''),
    ]),
  ])
}
