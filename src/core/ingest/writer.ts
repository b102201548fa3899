import type { Database } from 'better-sqlite3'
import { pricesForDb } from '../pricing/effective'
import { costOf, type PriceTable } from '../pricing/price'
import { redact, redactDeep, type RedactionRule } from '../privacy/redact'
import type { AgentRecord, ContentPolicy, ContentRecord, EventRecord, MetricRecord, RecordSink, RunRecord, SpanEnd, SpanRecord } from './records'

const json = (o: Record<string, unknown> | undefined) => JSON.stringify(o ?? {})

/** SQL ranking content policies, so a run keeps the most permissive one it was ever imported under. */
export const policyRank = (col: string) => `(CASE ${col} WHEN 'full' THEN 2 WHEN 'redacted' THEN 1 ELSE 0 END)`

/**
 * Writes records with upserts keyed on deterministic ids, so importing the same input twice,
 * or a subagent file before its parent, converges on the same rows.
 *
 * Privacy: names, errors, attributes and labels always go through the redactor, whatever the
 * content policy; text (`content`) is dropped under 'none', redacted under 'redacted' and kept
 * as it is only under 'full'.
 */
export function createWriter(db: Database, opts: { contentPolicy: ContentPolicy; now: () => number; redactRules?: readonly RedactionRule[]; prices?: PriceTable }) {
  const rules = opts.redactRules ?? []
  // Built-in prices plus the user's overrides (config.json beside the database), read once per writer.
  const prices = opts.prices ?? pricesForDb(db.name)
  const meta = (s: string) => redact(s, rules)
  const metaOrNull = (s: string | null | undefined) => (s == null ? null : meta(s))
  const attrs = (o: Record<string, unknown> | undefined) => json(o && redactDeep(o, rules))
  const touched = new Set<string>()
  /** Runs fed by the file being read now (reset per file by the importer). */
  let fileRuns = new Set<string>()
  const runStmt = db.prepare(`INSERT INTO runs (id, source, format, name, content_policy, attrs, created_at, updated_at)
    VALUES (@id, @source, @format, @name, @policy, @attrs, @now, @now)
    ON CONFLICT(id) DO UPDATE SET updated_at = excluded.updated_at, attrs = json_patch(runs.attrs, excluded.attrs),
      content_policy = CASE WHEN ${policyRank('excluded.content_policy')} > ${policyRank('runs.content_policy')} THEN excluded.content_policy ELSE runs.content_policy END`)
  const agentStmt = db.prepare(`INSERT INTO agents (run_id, id, name, type, parent_agent_id, parent_span_id, attrs)
    VALUES (@runId, @id, COALESCE(@name, @id), @type, @parentAgentId, @parentSpanId, @attrs)
    ON CONFLICT(run_id, id) DO UPDATE SET
      name = CASE WHEN @name IS NOT NULL THEN @name ELSE agents.name END,
      type = COALESCE(agents.type, excluded.type),
      parent_agent_id = COALESCE(agents.parent_agent_id, excluded.parent_agent_id),
      parent_span_id = COALESCE(agents.parent_span_id, excluded.parent_span_id),
      attrs = json_patch(agents.attrs, excluded.attrs)`)
  // Tokens and cost keep the first value (one API response is logged once per content block,
  // each line repeating the usage); times widen; an error status wins over ok.
  const spanStmt = db.prepare(`INSERT INTO spans (run_id, id, parent_id, agent_id, kind, name, start_ms, end_ms, status, error, model,
      input_tokens, output_tokens, cache_creation_tokens, cache_creation_5m_tokens, cache_creation_1h_tokens, cache_read_tokens,
      cost_usd, reported_cost_usd, attrs)
    VALUES (@runId, @id, @parentId, @agentId, @kind, @name, @startMs, @endMs, @status, @error, @model,
      @inputTokens, @outputTokens, @cacheCreationTokens, @cacheCreation5mTokens, @cacheCreation1hTokens, @cacheReadTokens,
      @costUsd, @reportedCostUsd, @attrs)
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
  const endStmt = db.prepare(`UPDATE spans SET
      end_ms = CASE WHEN end_ms IS NULL OR @endMs > end_ms THEN @endMs ELSE end_ms END,
      status = CASE WHEN @status = 'error' OR status = 'error' THEN 'error' ELSE @status END,
      error = COALESCE(error, @error), attrs = json_patch(attrs, @attrs)
    WHERE run_id = @runId AND id = @id`)
  const eventStmt = db.prepare(`INSERT INTO events (run_id, id, ts, name, severity, agent_id, attrs)
    VALUES (@runId, @id, @ts, @name, @severity, @agentId, @attrs) ON CONFLICT(run_id, id) DO NOTHING`)
  const metricStmt = db.prepare(`INSERT INTO metric_samples (run_id, name, unit, ts, value, labels, reported)
    VALUES (@runId, @name, @unit, @ts, @value, @labels, @reported) ON CONFLICT DO NOTHING`)
  // A piece stored under 'redacted' is replaced when the same piece is read again under 'full'; never the other way.
  const contentStmt = db.prepare(`INSERT INTO span_content (run_id, span_id, part, seq, ts, text, policy)
    VALUES (@runId, @spanId, @part, @seq, @ts, @text, @policy)
    ON CONFLICT(run_id, span_id, part, seq) DO UPDATE SET text = excluded.text, policy = excluded.policy, ts = COALESCE(span_content.ts, excluded.ts)
    WHERE excluded.policy = 'full' AND span_content.policy <> 'full'`)

  const sink: RecordSink = {
    contentPolicy: opts.contentPolicy,
    content(c: ContentRecord) {
      if (opts.contentPolicy === 'none' || c.text === '') return
      const text = opts.contentPolicy === 'redacted' ? redact(c.text, rules) : c.text
      contentStmt.run({ runId: c.runId, spanId: c.spanId, part: c.part, seq: c.seq ?? '', ts: c.ts ?? null, text, policy: opts.contentPolicy })
    },
    run(r: RunRecord) {
      touched.add(r.id)
      fileRuns.add(r.id)
      runStmt.run({ id: r.id, source: r.source, format: r.format, name: meta(r.name), policy: opts.contentPolicy, attrs: attrs(r.attrs), now: opts.now() })
    },
    agent(a: AgentRecord) {
      agentStmt.run({
        runId: a.runId, id: a.id, name: metaOrNull(a.name), type: a.type ?? null,
        parentAgentId: a.parentAgentId ?? null, parentSpanId: a.parentSpanId ?? null, attrs: attrs(a.attrs),
      })
    },
    span(s: SpanRecord) {
      const hasUsage = s.kind === 'llm' && s.inputTokens != null
      const cost =
        s.costUsd ??
        (hasUsage
          ? costOf({
              model: s.model ?? null,
              inputTokens: s.inputTokens ?? 0,
              outputTokens: s.outputTokens ?? 0,
              cacheCreationTokens: s.cacheCreationTokens ?? 0,
              cacheCreation5mTokens: s.cacheCreation5mTokens,
              cacheCreation1hTokens: s.cacheCreation1hTokens,
              cacheReadTokens: s.cacheReadTokens ?? 0,
            }, prices)
          : null)
      spanStmt.run({
        runId: s.runId, id: s.id, parentId: s.parentId ?? null, agentId: s.agentId ?? null, kind: s.kind, name: meta(s.name),
        startMs: s.startMs ?? null, endMs: s.endMs ?? null, status: s.status ?? 'unset', error: metaOrNull(s.error), model: s.model ?? null,
        inputTokens: s.inputTokens ?? null, outputTokens: s.outputTokens ?? null, cacheCreationTokens: s.cacheCreationTokens ?? null,
        cacheCreation5mTokens: s.cacheCreation5mTokens ?? null, cacheCreation1hTokens: s.cacheCreation1hTokens ?? null,
        cacheReadTokens: s.cacheReadTokens ?? null, costUsd: cost, reportedCostUsd: s.reportedCostUsd ?? null, attrs: attrs(s.attrs),
      })
    },
    endSpan(e: SpanEnd) {
      return endStmt.run({ runId: e.runId, id: e.id, endMs: e.endMs, status: e.status, error: metaOrNull(e.error), attrs: attrs(e.attrs) }).changes > 0
    },
    event(e: EventRecord) {
      eventStmt.run({ runId: e.runId, id: e.id, ts: e.ts, name: meta(e.name), severity: e.severity ?? null, agentId: e.agentId ?? null, attrs: attrs(e.attrs) })
    },
    metric(m: MetricRecord) {
      metricStmt.run({ runId: m.runId, name: m.name, unit: m.unit ?? null, ts: m.ts, value: m.value, labels: JSON.stringify(redactDeep(m.labels ?? {}, rules)), reported: m.reported ? 1 : 0 })
    },
  }
  const startFile = () => (fileRuns = new Set<string>())
  return { sink, touched, startFile }
}
