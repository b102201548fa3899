import type { Database } from 'better-sqlite3'
import { costOf } from '../pricing/price'
import type { AgentRecord, EventRecord, MetricRecord, RecordSink, RunRecord, SpanEnd, SpanRecord } from './records'

const json = (o: Record<string, unknown> | undefined) => JSON.stringify(o ?? {})

/**
 * Writes records with upserts keyed on deterministic ids, so importing the same input twice,
 * or a subagent file before its parent, converges on the same rows.
 */
export function createWriter(db: Database, opts: { contentPolicy: string; now: () => number }) {
  const touched = new Set<string>()
  /** Runs fed by the file being read now (reset per file by the importer). */
  let fileRuns = new Set<string>()
  const runStmt = db.prepare(`INSERT INTO runs (id, source, format, name, content_policy, attrs, created_at, updated_at)
    VALUES (@id, @source, @format, @name, @policy, @attrs, @now, @now)
    ON CONFLICT(id) DO UPDATE SET updated_at = excluded.updated_at, attrs = json_patch(runs.attrs, excluded.attrs)`)
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

  const sink: RecordSink = {
    run(r: RunRecord) {
      touched.add(r.id)
      fileRuns.add(r.id)
      runStmt.run({ id: r.id, source: r.source, format: r.format, name: r.name, policy: opts.contentPolicy, attrs: json(r.attrs), now: opts.now() })
    },
    agent(a: AgentRecord) {
      agentStmt.run({
        runId: a.runId, id: a.id, name: a.name ?? null, type: a.type ?? null,
        parentAgentId: a.parentAgentId ?? null, parentSpanId: a.parentSpanId ?? null, attrs: json(a.attrs),
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
            })
          : null)
      spanStmt.run({
        runId: s.runId, id: s.id, parentId: s.parentId ?? null, agentId: s.agentId ?? null, kind: s.kind, name: s.name,
        startMs: s.startMs ?? null, endMs: s.endMs ?? null, status: s.status ?? 'unset', error: s.error ?? null, model: s.model ?? null,
        inputTokens: s.inputTokens ?? null, outputTokens: s.outputTokens ?? null, cacheCreationTokens: s.cacheCreationTokens ?? null,
        cacheCreation5mTokens: s.cacheCreation5mTokens ?? null, cacheCreation1hTokens: s.cacheCreation1hTokens ?? null,
        cacheReadTokens: s.cacheReadTokens ?? null, costUsd: cost, reportedCostUsd: s.reportedCostUsd ?? null, attrs: json(s.attrs),
      })
    },
    endSpan(e: SpanEnd) {
      return endStmt.run({ runId: e.runId, id: e.id, endMs: e.endMs, status: e.status, error: e.error ?? null, attrs: json(e.attrs) }).changes > 0
    },
    event(e: EventRecord) {
      eventStmt.run({ runId: e.runId, id: e.id, ts: e.ts, name: e.name, severity: e.severity ?? null, agentId: e.agentId ?? null, attrs: json(e.attrs) })
    },
    metric(m: MetricRecord) {
      metricStmt.run({ runId: m.runId, name: m.name, unit: m.unit ?? null, ts: m.ts, value: m.value, labels: JSON.stringify(m.labels ?? {}), reported: m.reported ? 1 : 0 })
    },
  }
  const startFile = () => (fileRuns = new Set<string>())
  return { sink, touched, startFile }
}
