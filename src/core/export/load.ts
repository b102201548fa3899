import type { Database } from 'better-sqlite3'

// A run read whole, as stored: the export writers turn it into NDJSON, OTLP or CSV.

export interface StoredRun {
  id: string
  source: string
  format: string
  name: string
  attrs: Record<string, unknown>
}
export interface StoredAgent {
  id: string
  name: string
  type: string | null
  parentAgentId: string | null
  parentSpanId: string | null
  attrs: Record<string, unknown>
}
export interface StoredSpan {
  id: string
  parentId: string | null
  agentId: string | null
  kind: 'agent' | 'llm' | 'tool' | 'task' | 'other'
  name: string
  startMs: number | null
  endMs: number | null
  status: 'ok' | 'error' | 'unset'
  error: string | null
  model: string | null
  inputTokens: number | null
  outputTokens: number | null
  cacheCreationTokens: number | null
  cacheCreation5mTokens: number | null
  cacheCreation1hTokens: number | null
  cacheReadTokens: number | null
  costUsd: number | null
  reportedCostUsd: number | null
  attrs: Record<string, unknown>
}
export interface StoredEvent {
  id: string
  ts: number
  name: string
  severity: string | null
  agentId: string | null
  attrs: Record<string, unknown>
}
export interface StoredSample {
  name: string
  unit: string | null
  ts: number
  value: number
  labels: Record<string, string>
  reported: boolean
}
export interface RunData {
  run: StoredRun
  agents: StoredAgent[]
  spans: StoredSpan[]
  events: StoredEvent[]
  metrics: StoredSample[]
}

const parse = <T>(s: string | null): T => (s ? (JSON.parse(s) as T) : ({} as T))

/** Everything stored for one run (its text under span_content excepted). */
export function loadRunData(db: Database, runId: string): RunData {
  const run = db.prepare('SELECT id, source, format, name, attrs FROM runs WHERE id = ?').get(runId) as StoredRun & { attrs: string }
  const agents = (
    db.prepare(`SELECT id, name, type, parent_agent_id AS parentAgentId, parent_span_id AS parentSpanId, attrs FROM agents WHERE run_id = ? ORDER BY id`).all(runId) as (StoredAgent & { attrs: string })[]
  ).map((a) => ({ ...a, attrs: parse<Record<string, unknown>>(a.attrs) }))
  const spans = (
    db
      .prepare(
        `SELECT id, parent_id AS parentId, agent_id AS agentId, kind, name, start_ms AS startMs, end_ms AS endMs, status, error, model,
           input_tokens AS inputTokens, output_tokens AS outputTokens, cache_creation_tokens AS cacheCreationTokens,
           cache_creation_5m_tokens AS cacheCreation5mTokens, cache_creation_1h_tokens AS cacheCreation1hTokens,
           cache_read_tokens AS cacheReadTokens, cost_usd AS costUsd, reported_cost_usd AS reportedCostUsd, attrs
         FROM spans WHERE run_id = ? ORDER BY start_ms IS NULL, start_ms, id`,
      )
      .all(runId) as (StoredSpan & { attrs: string })[]
  ).map((s) => ({ ...s, attrs: parse<Record<string, unknown>>(s.attrs) }))
  const events = (
    db.prepare(`SELECT id, ts, name, severity, agent_id AS agentId, attrs FROM events WHERE run_id = ? ORDER BY ts, id`).all(runId) as (StoredEvent & { attrs: string })[]
  ).map((e) => ({ ...e, attrs: parse<Record<string, unknown>>(e.attrs) }))
  const metrics = (
    db.prepare(`SELECT name, unit, ts, value, labels, reported FROM metric_samples WHERE run_id = ? ORDER BY name, ts, labels`).all(runId) as {
      name: string; unit: string | null; ts: number; value: number; labels: string; reported: number
    }[]
  ).map((m) => ({ ...m, labels: parse<Record<string, string>>(m.labels), reported: m.reported === 1 }))
  return { run: { ...run, attrs: parse<Record<string, unknown>>(run.attrs as unknown as string) }, agents, spans, events, metrics }
}
