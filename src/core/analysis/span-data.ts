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

const COLUMNS = ['id', 'parent_id', 'agent_id', 'kind', 'name', 'start_ms', 'end_ms', 'status', 'model', 'input_tokens', 'output_tokens',
  'cache_creation_tokens', 'cache_creation_1h_tokens', 'cache_read_tokens']
const RUNS = 'run_id IN (SELECT value FROM json_each(?))'
const ORDER = 'run_id, start_ms, id'

/**
 * A run's spans in start order. json_each lets one prepared statement take any number of run ids.
 *
 * Handing 10⁵ rows to JavaScript one value at a time costs far more than the query (~7 strings a
 * row), so each column comes as one JSON array built in SQLite and parsed natively: ~45% less.
 * JSON keeps text and integers exact but a real number to 15 digits only, so the cost (a real)
 * is read as its own column in the same order, and a run whose times or tokens hold fractions is
 * read row by row. The arrays follow the ordered subquery (SQLite does not flatten an ordered
 * subquery under an aggregate); the order is checked, and rows are read one by one if it is off.
 */
export function loadSpans(db: Database, runIds: string[]): SpanRow[] {
  const ids = JSON.stringify(runIds)
  const fractional = db
    .prepare(
      `SELECT EXISTS (SELECT 1 FROM spans WHERE ${RUNS} AND 'real' IN (typeof(start_ms), typeof(end_ms), typeof(input_tokens),
         typeof(output_tokens), typeof(cache_creation_tokens), typeof(cache_creation_1h_tokens), typeof(cache_read_tokens)))`,
    )
    .pluck()
    .get(ids)
  if (fractional) return loadSpanRows(db, ids)
  const single = runIds.length === 1 ? runIds[0] : null
  const cols = single === null ? ['run_id', ...COLUMNS] : COLUMNS
  const json = db
    .prepare(`SELECT ${cols.map((c) => `json_group_array(${c})`).join(', ')} FROM (SELECT ${cols.join(', ')} FROM spans WHERE ${RUNS} ORDER BY ${ORDER})`)
    .raw()
    .get(ids) as string[]
  const c = json.map((x) => JSON.parse(x) as unknown[])
  const [id, parentId, agentId, kind, name, startMs, endMs, status, model, input, output, cacheCreation, cacheCreation1h, cacheRead] = (single === null ? c.slice(1) : c) as [
    string[], (string | null)[], (string | null)[], SpanKind[], string[], (number | null)[], (number | null)[], SpanRow['status'][], (string | null)[],
    (number | null)[], (number | null)[], (number | null)[], (number | null)[], (number | null)[],
  ]
  const runId = single === null ? (c[0] as string[]) : null
  const cost = db.prepare(`SELECT cost_usd FROM spans WHERE ${RUNS} ORDER BY ${ORDER}`).pluck().all(ids) as (number | null)[]
  const out = new Array<SpanRow>(id.length)
  for (let i = 0; i < id.length; i++) {
    out[i] = {
      runId: runId ? runId[i] : (single as string), id: id[i], parentId: parentId[i], agentId: agentId[i], kind: kind[i], name: name[i], startMs: startMs[i], endMs: endMs[i],
      status: status[i], model: model[i], inputTokens: input[i], outputTokens: output[i], cacheCreationTokens: cacheCreation[i],
      cacheCreation1hTokens: cacheCreation1h[i], cacheReadTokens: cacheRead[i], costUsd: cost[i],
    }
  }
  return inOrder(out) && cost.length === out.length ? out : loadSpanRows(db, ids)
}

/** Whether rows follow ORDER (run, then start with nulls first, then id); a false alarm only costs the slow path. */
function inOrder(rows: SpanRow[]): boolean {
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1]
    const b = rows[i]
    if (a.runId !== b.runId) {
      if (a.runId > b.runId) return false
      continue
    }
    const sa = a.startMs ?? -Infinity
    const sb = b.startMs ?? -Infinity
    if (sa > sb || (sa === sb && a.id >= b.id)) return false
  }
  return true
}

function loadSpanRows(db: Database, ids: string): SpanRow[] {
  return db
    .prepare(
      `SELECT run_id AS runId, id, parent_id AS parentId, agent_id AS agentId, kind, name, start_ms AS startMs, end_ms AS endMs,
         status, model, input_tokens AS inputTokens, output_tokens AS outputTokens, cache_creation_tokens AS cacheCreationTokens,
         cache_creation_1h_tokens AS cacheCreation1hTokens, cache_read_tokens AS cacheReadTokens, cost_usd AS costUsd
       FROM spans WHERE ${RUNS} ORDER BY ${ORDER}`,
    )
    .all(ids) as SpanRow[]
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
