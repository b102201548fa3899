import type { Database } from 'better-sqlite3'
import type { SpanKind } from '../../shared/dto'

// The rows the analysis reads, in one query per table. Analysis is a read: it takes the read
// connection and never writes.

export interface SpanRow {
  runId: string
  id: string
  parentId: string | null
  agentId: string | null
  kind: SpanKind
  name: string
  startMs: number | null
  endMs: number | null
  status: 'ok' | 'error' | 'unset'
  model: string | null
  inputTokens: number | null
  outputTokens: number | null
  cacheCreationTokens: number | null
  cacheCreation1hTokens: number | null
  cacheReadTokens: number | null
  costUsd: number | null
}

export interface AgentRow {
  runId: string
  id: string
  name: string
  type: string | null
  parentAgentId: string | null
  parentSpanId: string | null
}

// json_each lets one prepared statement take any number of run ids.
export function loadSpans(db: Database, runIds: string[]): SpanRow[] {
  return db
    .prepare(
      `SELECT run_id AS runId, id, parent_id AS parentId, agent_id AS agentId, kind, name, start_ms AS startMs, end_ms AS endMs,
         status, model, input_tokens AS inputTokens, output_tokens AS outputTokens, cache_creation_tokens AS cacheCreationTokens,
         cache_creation_1h_tokens AS cacheCreation1hTokens, cache_read_tokens AS cacheReadTokens, cost_usd AS costUsd
       FROM spans WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id, start_ms, id`,
    )
    .all(JSON.stringify(runIds)) as SpanRow[]
}

export function loadAgents(db: Database, runIds: string[]): AgentRow[] {
  return db
    .prepare(
      `SELECT run_id AS runId, id, name, type, parent_agent_id AS parentAgentId, parent_span_id AS parentSpanId
       FROM agents WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id, id`,
    )
    .all(JSON.stringify(runIds)) as AgentRow[]
}

export const latencyOf = (s: SpanRow): number | null =>
  s.startMs !== null && s.endMs !== null && s.endMs >= s.startMs ? s.endMs - s.startMs : null

/** All prompt and completion tokens of an LLM call; null when the source gave no usage. */
export const tokensOf = (s: SpanRow): number | null =>
  s.inputTokens === null ? null : (s.inputTokens ?? 0) + (s.outputTokens ?? 0) + (s.cacheCreationTokens ?? 0) + (s.cacheReadTokens ?? 0)

/** Tool spans that started a subagent: their duration is the subagent's, not the caller's work. */
export function delegationSpanIds(spans: SpanRow[]): Set<string> {
  return new Set(spans.filter((s) => s.kind === 'agent' && s.parentId !== null).map((s) => `${s.runId}\u0000${s.parentId}`))
}

export const spanKey = (s: SpanRow) => `${s.runId}\u0000${s.id}`

/** Groups rows by a key, keeping first-seen order. */
export function groupBy<T>(rows: T[], key: (r: T) => string | null): Map<string, T[]> {
  const out = new Map<string, T[]>()
  for (const r of rows) {
    const k = key(r)
    if (k === null) continue
    const g = out.get(k)
    if (g) g.push(r)
    else out.set(k, [r])
  }
  return out
}
