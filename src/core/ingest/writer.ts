import type { Database } from 'better-sqlite3'
import { pricesForDb } from '../pricing/effective'
import type { PriceTable } from '../pricing/price'
import type { RedactionRule } from '../privacy/redact'
import { SPAN_FIGURE_COLUMNS, type SpanFigureRow } from '../store/run-stats'
import { createBinder, type Row } from './bind'
import type { ContentPolicy, RecordSink } from './records'

/** SQL ranking content policies, so a run keeps the most permissive one it was ever imported under. */
export const policyRank = (col: string) => `(CASE ${col} WHEN 'full' THEN 2 WHEN 'redacted' THEN 1 ELSE 0 END)`

/** A statement and its parameters, as bind.ts makes them (in this thread or in the parse worker). */
export type WriteOp = ['run' | 'agent' | 'span' | 'endSpan' | 'event' | 'metric' | 'content' | 'moveAgent', Row]

/**
 * Follows the writes to runs that were stored before the import (run-stats-delta.ts brings
 * their summaries up to date from what changed instead of from all of their rows).
 */
export interface WriteFollower {
  /** Told of each run, event and metric write just before it is made. */
  beforeWrite(op: WriteOp): void
  /** Whether the writes to this run's spans are to be followed (asked before each). */
  follows(runId: string): boolean
  /** Just before a write that may change a span already stored. */
  before(runId: string, spanId: string): void
  /** A followed span's figures after a write to it. */
  after(runId: string, spanId: string, figures: SpanFigureRow): void
  /** A write that may change what settleAgentLinks settles (an agent row, an agent span, a call naming a subagent type) was made. */
  linksMoved(runId: string): void
  /** An agent's rows were given to another (moveAgent): the run is to be summed up whole. */
  agentMoved(runId: string): void
}

/** Whether a span's attributes name a subagent type (the call that started an agent gives the agent its type). */
const namesSubagent = (attrs: unknown) => typeof attrs === 'string' && attrs.includes('"subagentType"')

/**
 * Writes records with upserts keyed on deterministic ids, so importing the same input twice,
 * or a subagent file before its parent, converges on the same rows. What is written (redacted
 * names and attributes, costs, text under the content policy) is decided in bind.ts.
 *
 * Statements bind positional parameters: binding by name looks every name up on the record
 * object, which showed in profiles of large imports.
 */
export function createWriter(
  db: Database,
  opts: {
    contentPolicy: ContentPolicy
    now: () => number
    redactRules?: readonly RedactionRule[]
    prices?: PriceTable
    /** The importer's run summaries (run-stats-delta.ts). */
    follow?: WriteFollower
  },
) {
  // Built-in prices plus the user's overrides (config.json beside the database), read once per writer.
  const prices = opts.prices ?? pricesForDb(db.name)
  const binder = createBinder({ ...opts, prices })
  const touched = new Set<string>()
  /** Runs fed by the file being read now (reset per file by the importer). */
  let fileRuns = new Set<string>()
  const runStmt = db.prepare(`INSERT INTO runs (id, source, format, name, content_policy, attrs, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(id) DO UPDATE SET updated_at = excluded.updated_at, attrs = json_patch(runs.attrs, excluded.attrs),
      content_policy = CASE WHEN ${policyRank('excluded.content_policy')} > ${policyRank('runs.content_policy')} THEN excluded.content_policy ELSE runs.content_policy END`)
  const agentStmt = db.prepare(`INSERT INTO agents (run_id, id, name, type, parent_agent_id, parent_span_id, attrs)
    VALUES (?, ?, COALESCE(?, ?), ?, ?, ?, ?)
    ON CONFLICT(run_id, id) DO UPDATE SET
      name = CASE WHEN ? IS NOT NULL THEN ? ELSE agents.name END,
      type = COALESCE(agents.type, excluded.type),
      parent_agent_id = COALESCE(agents.parent_agent_id, excluded.parent_agent_id),
      parent_span_id = COALESCE(agents.parent_span_id, excluded.parent_span_id),
      attrs = json_patch(agents.attrs, excluded.attrs)
    WHERE (? IS NOT NULL AND ? IS NOT agents.name) OR (agents.type IS NULL AND excluded.type IS NOT NULL)
      OR (agents.parent_agent_id IS NULL AND excluded.parent_agent_id IS NOT NULL)
      OR (agents.parent_span_id IS NULL AND excluded.parent_span_id IS NOT NULL)
      OR json_patch(agents.attrs, excluded.attrs) IS NOT agents.attrs`)
  // Tokens and cost keep the first value (one API response is logged once per content block,
  // each line repeating the usage); times widen; an error status wins over ok.
  const spanStmt = db.prepare(`INSERT INTO spans (run_id, id, parent_id, agent_id, kind, name, start_ms, end_ms, status, error, model,
      input_tokens, output_tokens, cache_creation_tokens, cache_creation_5m_tokens, cache_creation_1h_tokens, cache_read_tokens,
      cost_usd, reported_cost_usd, attrs)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(run_id, id) DO UPDATE SET
      parent_id = COALESCE(spans.parent_id, excluded.parent_id),
      agent_id = COALESCE(spans.agent_id, excluded.agent_id),
      name = CASE WHEN spans.name = '' THEN excluded.name ELSE spans.name END,
      start_ms = CASE WHEN spans.start_ms IS NULL OR excluded.start_ms < spans.start_ms THEN COALESCE(excluded.start_ms, spans.start_ms) ELSE spans.start_ms END,
      end_ms = CASE WHEN spans.end_ms IS NULL OR excluded.end_ms > spans.end_ms THEN COALESCE(excluded.end_ms, spans.end_ms) ELSE spans.end_ms END,
      status = CASE WHEN excluded.status = 'error' OR spans.status = 'error' THEN 'error' WHEN spans.status = 'unset' THEN excluded.status ELSE spans.status END,
      error = COALESCE(spans.error, excluded.error),
      model = COALESCE(spans.model, excluded.model),
      input_tokens = COALESCE(spans.input_tokens, excluded.input_tokens),
      output_tokens = COALESCE(spans.output_tokens, excluded.output_tokens),
      cache_creation_tokens = COALESCE(spans.cache_creation_tokens, excluded.cache_creation_tokens),
      cache_creation_5m_tokens = COALESCE(spans.cache_creation_5m_tokens, excluded.cache_creation_5m_tokens),
      cache_creation_1h_tokens = COALESCE(spans.cache_creation_1h_tokens, excluded.cache_creation_1h_tokens),
      cache_read_tokens = COALESCE(spans.cache_read_tokens, excluded.cache_read_tokens),
      cost_usd = COALESCE(spans.cost_usd, excluded.cost_usd),
      reported_cost_usd = COALESCE(spans.reported_cost_usd, excluded.reported_cost_usd),
      attrs = json_patch(spans.attrs, excluded.attrs)`)
  // The same merge for a span already stored whose start stays where it is, as an UPDATE that does
  // not assign start_ms: SQLite then leaves spans_run_start alone, where the upsert above deletes
  // and re-inserts the span's index entry even when the start is unchanged. Agent spans take
  // this path (each import of a grown transcript widens its agents' spans): a warm import of
  // 1,489 grown transcripts dirtied one index page fewer per transcript (see writeSpan).
  const widenStmt = db.prepare(`UPDATE spans SET
      parent_id = COALESCE(parent_id, ?), agent_id = COALESCE(agent_id, ?),
      name = CASE WHEN name = '' THEN ? ELSE name END,
      end_ms = CASE WHEN end_ms IS NULL OR ? > end_ms THEN COALESCE(?, end_ms) ELSE end_ms END,
      status = CASE WHEN ? = 'error' OR status = 'error' THEN 'error' WHEN status = 'unset' THEN ? ELSE status END,
      error = COALESCE(error, ?), model = COALESCE(model, ?),
      input_tokens = COALESCE(input_tokens, ?), output_tokens = COALESCE(output_tokens, ?),
      cache_creation_tokens = COALESCE(cache_creation_tokens, ?), cache_creation_5m_tokens = COALESCE(cache_creation_5m_tokens, ?),
      cache_creation_1h_tokens = COALESCE(cache_creation_1h_tokens, ?), cache_read_tokens = COALESCE(cache_read_tokens, ?),
      cost_usd = COALESCE(cost_usd, ?), reported_cost_usd = COALESCE(reported_cost_usd, ?),
      attrs = json_patch(attrs, ?)
    WHERE run_id = ? AND id = ? AND (? IS NULL OR (start_ms IS NOT NULL AND start_ms <= ?))`)
  /** widenStmt's parameters from a span row. */
  const widenArgs = (r: Row) => [r[2], r[3], r[5], r[7], r[7], r[8], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15], r[16], r[17], r[18], r[19], r[0], r[1], r[6], r[6]]
  /** Writes a span row (bind.ts order): an agent span already stored whose start does not move is widened in place, anything else upserted. */
  const writeSpan = (r: Row) => {
    if (r[4] === 'agent') {
      const widened = widenStmt.run(widenArgs(r))
      if (widened.changes > 0) return true
    }
    return spanStmt.run(r).changes > 0
  }
  // A result stamped before its call (read in an earlier import: the parser could not see it) is
  // not applied: the call stays open-ended rather than ending before it started.
  const endStmt = db.prepare(`UPDATE spans SET
      end_ms = CASE WHEN end_ms IS NULL OR ? > end_ms THEN ? ELSE end_ms END,
      status = CASE WHEN ? = 'error' OR status = 'error' THEN 'error' ELSE ? END,
      error = COALESCE(error, ?), attrs = json_patch(attrs, ?)
    WHERE run_id = ? AND id = ? AND (start_ms IS NULL OR start_ms <= ?)`)
  // The same writes, giving back the span's figures afterwards, for runs a follower follows. A
  // span new to the store is written with DO NOTHING first: most spans of a tail's import are
  // new, and its figures before are then known (none) without reading the store.
  const returning = (sql: string) => db.prepare(`${sql} RETURNING ${SPAN_FIGURE_COLUMNS}`).raw()
  const spanSql = spanStmt.source
  const followed = opts.follow && {
    follower: opts.follow,
    insertNew: returning(`${spanSql.slice(0, spanSql.indexOf('ON CONFLICT'))} ON CONFLICT(run_id, id) DO NOTHING`),
    span: returning(spanSql),
    widen: returning(widenStmt.source),
    end: returning(endStmt.source),
  }

  const eventStmt = db.prepare(`INSERT INTO events (run_id, id, ts, name, severity, agent_id, attrs)
    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(run_id, id) DO NOTHING`)
  const metricStmt = db.prepare(`INSERT INTO metric_samples (run_id, name, unit, ts, value, labels, reported)
    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
  // A piece stored under 'redacted' is replaced when the same piece is read again under 'full'; never the other way.
  const contentStmt = db.prepare(`INSERT INTO span_content (run_id, span_id, part, seq, ts, text, policy)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(run_id, span_id, part, seq) DO UPDATE SET text = excluded.text, policy = excluded.policy, ts = COALESCE(span_content.ts, excluded.ts)
    WHERE excluded.policy = 'full' AND span_content.policy <> 'full'`)

  // moveAgent (records.ts, AgentMove): the agent span of `from` widens `to`'s, or becomes it where
  // `to` has none yet; then every span, event and subagent of `from` is `to`'s, and `from` is gone.
  const moveStmts = [
    `UPDATE spans SET
       start_ms = CASE WHEN spans.start_ms IS NULL OR m.start_ms < spans.start_ms THEN COALESCE(m.start_ms, spans.start_ms) ELSE spans.start_ms END,
       end_ms = CASE WHEN spans.end_ms IS NULL OR m.end_ms > spans.end_ms THEN COALESCE(m.end_ms, spans.end_ms) ELSE spans.end_ms END
     FROM (SELECT start_ms, end_ms FROM spans WHERE run_id = @run AND id = 'agent:' || @from) AS m
     WHERE spans.run_id = @run AND spans.id = 'agent:' || @to`,
    `INSERT OR IGNORE INTO spans (run_id, id, parent_id, agent_id, kind, name, start_ms, end_ms, status, attrs)
     SELECT run_id, 'agent:' || @to, NULL, @to, 'agent', @toName, start_ms, end_ms, status, attrs FROM spans WHERE run_id = @run AND id = 'agent:' || @from`,
    `DELETE FROM spans WHERE run_id = @run AND id = 'agent:' || @from`,
    `UPDATE spans SET agent_id = CASE WHEN agent_id = @from THEN @to ELSE agent_id END,
       parent_id = CASE WHEN parent_id = 'agent:' || @from THEN 'agent:' || @to ELSE parent_id END
     WHERE run_id = @run AND (agent_id = @from OR parent_id = 'agent:' || @from)`,
    'UPDATE events SET agent_id = @to WHERE run_id = @run AND agent_id = @from',
    'UPDATE agents SET parent_agent_id = @to WHERE run_id = @run AND parent_agent_id = @from',
    'DELETE FROM agents WHERE run_id = @run AND id = @from',
  ].map((sql) => db.prepare(sql))
  const moveAgent = (r: Row): boolean => {
    const args = { run: r[0], from: r[1], to: r[2], toName: r[3] }
    opts.follow?.agentMoved(r[0] as string)
    for (const st of moveStmts) st.run(args)
    return true
  }
  const statements = { run: runStmt, agent: agentStmt, span: spanStmt, endSpan: endStmt, event: eventStmt, metric: metricStmt, content: contentStmt }

  type Followed = NonNullable<typeof followed>
  /** writeSpan for a followed run: the span's figures before (read only if it was stored) and after. */
  const followedSpan = (st: Followed, r: Row): boolean => {
    const f = st.follower
    const runId = r[0] as string
    const id = r[1] as string
    const agent = r[4] === 'agent'
    let after: SpanFigureRow | undefined
    if (!agent) after = st.insertNew.get(r) as SpanFigureRow | undefined
    if (after === undefined) {
      f.before(runId, id)
      if (agent) after = st.widen.get(widenArgs(r)) as SpanFigureRow | undefined
      // An agent span new to the store, moved or given a parent: its agent's link may have to be settled.
      if (agent && (after === undefined || r[2] !== null)) f.linksMoved(runId)
      after ??= st.span.get(r) as SpanFigureRow
    }
    f.after(runId, id, after)
    if (namesSubagent(r[19])) f.linksMoved(runId)
    return true
  }
  const followedEnd = (st: Followed, r: Row): boolean => {
    const f = st.follower
    const runId = r[6] as string
    const id = r[7] as string
    f.before(runId, id)
    const after = st.end.get(r) as SpanFigureRow | undefined
    if (after === undefined) return false
    f.after(runId, id, after)
    if (namesSubagent(r[5])) f.linksMoved(runId)
    return true
  }
  /** Runs one statement; for 'endSpan', whether the span existed. */
  const exec = (op: WriteOp): boolean => {
    const [kind, row] = op
    if (kind === 'run') {
      touched.add(row[0] as string)
      fileRuns.add(row[0] as string)
    }
    if (kind === 'moveAgent') return moveAgent(row)
    if (followed) {
      const follow = followed.follower
      if (kind === 'span') return follow.follows(row[0] as string) ? followedSpan(followed, row) : writeSpan(row)
      if (kind === 'endSpan') return follow.follows(row[6] as string) ? followedEnd(followed, row) : endStmt.run(row).changes > 0
      if (kind === 'agent') {
        const changed = agentStmt.run(row).changes > 0
        if (changed) follow.linksMoved(row[0] as string)
        return changed
      }
      follow.beforeWrite(op)
    }
    if (kind === 'span') return writeSpan(row)
    return statements[kind].run(row).changes > 0
  }
  const sink: RecordSink = {
    contentPolicy: opts.contentPolicy,
    content(c) {
      const row = binder.content(c)
      if (row) contentStmt.run(row)
    },
    run: (r) => void exec(['run', binder.run(r)]),
    agent: (a) => void exec(['agent', binder.agent(a)]),
    span: (s) => void exec(['span', binder.span(s)]),
    endSpan: (e) => exec(['endSpan', binder.endSpan(e)]),
    event: (e) => void exec(['event', binder.event(e)]),
    metric: (m) => void exec(['metric', binder.metric(m)]),
    moveAgent: (m) => void exec(['moveAgent', binder.moveAgent(m)]),
  }
  /** Starts the next file; returns the runs the file before it fed. */
  const startFile = () => {
    const done = fileRuns
    fileRuns = new Set<string>()
    return done
  }
  return { sink, exec, touched, startFile, prices }
}
