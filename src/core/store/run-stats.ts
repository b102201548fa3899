import type { Database, Statement } from 'better-sqlite3'

/**
 * How an LLM call with token counts but no model name is listed among a run's unpriced models:
 * its tokens count, and its cost is missing from the run's, which must not go unmentioned.
 */
export const NO_MODEL = '(no model)'

/**
 * The summary columns a set of spans contributes: all of a run's here, the ones an import
 * touched in run-stats-delta.ts (one definition, so both count alike).
 */
export const SPAN_FIGURES = `COUNT(*) AS spans, COALESCE(SUM(kind = 'llm'), 0) AS llm, COALESCE(SUM(kind = 'tool'), 0) AS tools,
  COALESCE(SUM(status = 'error'), 0) AS errors,
  COALESCE(SUM(input_tokens) FILTER (WHERE kind = 'llm'), 0) AS input,
  COALESCE(SUM(output_tokens) FILTER (WHERE kind = 'llm'), 0) AS output,
  COALESCE(SUM(cache_creation_tokens) FILTER (WHERE kind = 'llm'), 0) AS cacheCreation,
  COALESCE(SUM(cache_read_tokens) FILTER (WHERE kind = 'llm'), 0) AS cacheRead,
  COALESCE(SUM(cost_usd) FILTER (WHERE kind = 'llm'), 0) AS cost, SUM(reported_cost_usd) AS reportedCost,
  MIN(start_ms) AS startMs, MAX(COALESCE(end_ms, start_ms)) AS endMs,
  json_group_array(DISTINCT COALESCE(model, '${NO_MODEL}')) FILTER (WHERE kind = 'llm' AND cost_usd IS NULL AND (model IS NOT NULL OR input_tokens IS NOT NULL)) AS unpriced`

/** One span's share of those figures, as it is stored: what SPAN_FIGURE_COLUMNS reads, in this order. */
export type SpanFigureRow = [kind: string, status: string, startMs: number | null, endMs: number | null, input: number | null, output: number | null, cacheCreation: number | null, cacheRead: number | null, cost: number | null, reported: number | null, model: string | null]
export const SPAN_FIGURE_COLUMNS = `kind, status, start_ms, COALESCE(end_ms, start_ms), input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens,
  cost_usd, reported_cost_usd, model`

/** What SPAN_FIGURES reads. */
export interface SpanFigures { spans: number; llm: number; tools: number; errors: number; input: number; output: number; cacheCreation: number; cacheRead: number; cost: number; reportedCost: number | null; startMs: number | null; endMs: number | null; unpriced: string }
/** A run's events or metric samples: first and last time, count (and for events, errors). */
export interface TimeFigures { startMs: number | null; endMs: number | null; n: number; errors?: number | null }
/** The summary columns of `runs`, as written. */
export interface RunSummaryColumns {
  startedAt: number | null; endedAt: number | null; spans: number; llm: number; tools: number; errors: number; metrics: number; events: number
  input: number; output: number; cacheCreation: number; cacheRead: number; cost: number; reportedCost: number | null; unpriced: string
}

// Prepared once per connection: a folder import refreshes hundreds of runs in one go.
const cache = new WeakMap<Database, { link: Statement; type: Statement; spans: Statement; events: Statement; metrics: Statement; update: Statement }>()

function statements(db: Database) {
  let s = cache.get(db)
  if (s) return s
  s = {
    // Links found in any order (a subagent's file may be read before its parent's) are settled
    // here: an agent span hangs under the tool call that started the agent, and the agent takes
    // its type from that call. Rows already settled are not written again (a re-import that
    // touches many runs would otherwise rewrite every agent of each).
    link: db.prepare(
      `UPDATE spans SET parent_id = a.parent_span_id FROM agents a
       WHERE spans.run_id = @id AND a.run_id = @id AND spans.id = 'agent:' || a.id AND a.parent_span_id IS NOT NULL
         AND spans.parent_id IS NOT a.parent_span_id`,
    ),
    type: db.prepare(
      `UPDATE agents SET type = COALESCE(agents.type, json_extract(s.attrs, '$.subagentType')),
         name = CASE WHEN agents.name = agents.id AND json_extract(s.attrs, '$.subagentType') IS NOT NULL
                     THEN json_extract(s.attrs, '$.subagentType') || ' ' || agents.id ELSE agents.name END
       FROM spans s WHERE agents.run_id = @id AND s.run_id = @id AND s.id = agents.parent_span_id
         AND ((agents.type IS NULL AND json_extract(s.attrs, '$.subagentType') IS NOT NULL)
           OR (agents.name = agents.id AND json_extract(s.attrs, '$.subagentType') IS NOT NULL))`,
    ),
    // One pass over the run's spans for every span figure (the unpriced models too: a second
    // scan of the run for them cost as much as the first).
    spans: db.prepare(`SELECT ${SPAN_FIGURES} FROM spans WHERE run_id = @id`),
    events: db.prepare(`SELECT MIN(ts) AS startMs, MAX(ts) AS endMs, COUNT(*) AS n, SUM(severity = 'error') AS errors FROM events WHERE run_id = @id`),
    metrics: db.prepare(`SELECT MIN(ts) AS startMs, MAX(ts) AS endMs, COUNT(*) AS n FROM metric_samples WHERE run_id = @id`),
    update: db.prepare(
      `UPDATE runs SET started_at = @startedAt, ended_at = @endedAt,
         agents = (SELECT COUNT(*) FROM agents WHERE run_id = @id), spans = @spans, llm_calls = @llm, tool_calls = @tools,
         errors = @errors, metric_samples = @metrics, events = @events, input_tokens = @input, output_tokens = @output,
         cache_creation_tokens = @cacheCreation, cache_read_tokens = @cacheRead, cost_usd = @cost,
         reported_cost_usd = @reportedCost, unpriced_models = @unpriced
       WHERE id = @id`,
    ),
  }
  cache.set(db, s)
  return s
}


/** The unpriced models in SQLite's (byte-wise) order, as the column has always held them. */
export function sortedModels(json: string): string {
  const models = JSON.parse(json) as string[]
  if (models.length < 2) return json
  return JSON.stringify(models.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))))
}

/** The least / greatest of the non-null values, or null. */
export const min = (...xs: (number | null)[]) => (xs.some((x) => x !== null) ? Math.min(...(xs.filter((x) => x !== null) as number[])) : null)
export const max = (...xs: (number | null)[]) => (xs.some((x) => x !== null) ? Math.max(...(xs.filter((x) => x !== null) as number[])) : null)

/** A run's events and metric samples as its summary counts them (both are only ever added to). */
export function timeFigures(db: Database, runId: string): { events: TimeFigures; metrics: TimeFigures } {
  const st = statements(db)
  return { events: st.events.get({ id: runId }) as TimeFigures, metrics: st.metrics.get({ id: runId }) as TimeFigures }
}

/** Writes a run's summary columns (its agent count is taken from the agents table). */
export function writeRunSummary(db: Database, runId: string, c: RunSummaryColumns): void {
  statements(db).update.run({ id: runId, ...c })
}

/** Hangs each agent's span under the tool call that started it and gives the agent that call's subagent type (see `link`, `type`). */
export function settleAgentLinks(db: Database, runId: string): void {
  const st = statements(db)
  st.link.run({ id: runId })
  st.type.run({ id: runId })
}

/**
 * Recomputes a run's summary columns from its rows. Called inside the write transaction that
 * changed the run, so a listed run's numbers always match its spans.
 */
export function refreshRunStats(db: Database, runId: string): void {
  settleAgentLinks(db, runId)
  const s = statements(db).spans.get({ id: runId }) as SpanFigures
  const { events: e, metrics: m } = timeFigures(db, runId)
  writeRunSummary(db, runId, {
    startedAt: min(s.startMs, e.startMs, m.startMs),
    endedAt: max(s.endMs, e.endMs, m.endMs),
    spans: s.spans, llm: s.llm, tools: s.tools, errors: s.errors + (e.errors ?? 0),
    metrics: m.n, events: e.n, input: s.input, output: s.output, cacheCreation: s.cacheCreation, cacheRead: s.cacheRead,
    cost: s.cost, reportedCost: s.reportedCost, unpriced: sortedModels(s.unpriced),
  })
}
