import type { RunSummary } from '../../shared/dto'
import type { RunData } from './load'

// RFC 4180 CSV: comma-separated, CRLF line ends, fields with a comma, quote or line break quoted.
// A text cell starting with = + @ or a tab is prefixed with ' so a spreadsheet does not run it
// as a formula (names come from logs, which anyone can write).

function cell(v: unknown): string {
  if (v === null || v === undefined) return ''
  let s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v : JSON.stringify(v)
  if (typeof v === 'string' && /^[=+@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}
const row = (cells: unknown[]) => cells.map(cell).join(',')
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

export const SPAN_COLUMNS = [
  'run_id', 'span_id', 'parent_id', 'agent_id', 'kind', 'name', 'start', 'end', 'duration_ms', 'status', 'error', 'model',
  'input_tokens', 'output_tokens', 'cache_creation_tokens', 'cache_read_tokens', 'cost_usd', 'reported_cost_usd',
]

export function spansCsvRows(d: RunData): string[] {
  return d.spans.map((s) =>
    row([
      d.run.id, s.id, s.parentId, s.agentId, s.kind, s.name, iso(s.startMs), iso(s.endMs),
      s.startMs !== null && s.endMs !== null ? s.endMs - s.startMs : null, s.status, s.error, s.model,
      s.inputTokens, s.outputTokens, s.cacheCreationTokens, s.cacheReadTokens, s.costUsd, s.reportedCostUsd,
    ]),
  )
}

export const RUN_COLUMNS = [
  'run_id', 'name', 'source', 'group', 'tags', 'started_at', 'ended_at', 'duration_ms', 'agents', 'spans', 'llm_calls', 'tool_calls', 'errors',
  'input_tokens', 'output_tokens', 'cache_creation_tokens', 'cache_read_tokens', 'cost_usd', 'reported_cost_usd', 'unpriced_models',
]

export function runCsvRow(r: RunSummary): string {
  return row([
    r.id, r.name, r.source, r.group, Object.entries(r.tags).map(([k, v]) => `${k}=${v}`).join(';'), r.startedAt, r.endedAt, r.durationMs,
    r.agents, r.spans, r.llmCalls, r.toolCalls, r.errors, r.inputTokens, r.outputTokens, r.cacheCreationTokens, r.cacheReadTokens,
    r.costUsd, r.reportedCostUsd, r.unpricedModels.join(';'),
  ])
}

export const csvHeader = (columns: string[]) => row(columns)
