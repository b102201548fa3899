import type { Database } from 'better-sqlite3'

/**
 * Recomputes a run's summary columns from its rows. Called inside the write transaction that
 * changed the run, so a listed run's numbers always match its spans.
 */
export function refreshRunStats(db: Database, runId: string): void {
  // Links found in any order (a subagent's file may be read before its parent's) are settled
  // here: an agent span hangs under the tool call that started the agent, and the agent takes
  // its type from that call.
  db.prepare(
    `UPDATE spans SET parent_id = a.parent_span_id FROM agents a
     WHERE spans.run_id = @id AND a.run_id = @id AND spans.id = 'agent:' || a.id AND a.parent_span_id IS NOT NULL`,
  ).run({ id: runId })
  db.prepare(
    `UPDATE agents SET type = COALESCE(agents.type, json_extract(s.attrs, '$.subagentType')),
       name = CASE WHEN agents.name = agents.id AND json_extract(s.attrs, '$.subagentType') IS NOT NULL
                   THEN json_extract(s.attrs, '$.subagentType') || ' ' || agents.id ELSE agents.name END
     FROM spans s WHERE agents.run_id = @id AND s.run_id = @id AND s.id = agents.parent_span_id`,
  ).run({ id: runId })
  db.prepare(
    `UPDATE runs SET
      started_at = (SELECT MIN(t) FROM (SELECT MIN(start_ms) t FROM spans WHERE run_id = @id UNION ALL SELECT MIN(ts) FROM events WHERE run_id = @id
                    UNION ALL SELECT MIN(ts) FROM metric_samples WHERE run_id = @id)),
      ended_at = (SELECT MAX(t) FROM (SELECT MAX(COALESCE(end_ms, start_ms)) t FROM spans WHERE run_id = @id UNION ALL SELECT MAX(ts) FROM events WHERE run_id = @id
                  UNION ALL SELECT MAX(ts) FROM metric_samples WHERE run_id = @id)),
      agents = (SELECT COUNT(*) FROM agents WHERE run_id = @id),
      spans = (SELECT COUNT(*) FROM spans WHERE run_id = @id),
      llm_calls = (SELECT COUNT(*) FROM spans WHERE run_id = @id AND kind = 'llm'),
      tool_calls = (SELECT COUNT(*) FROM spans WHERE run_id = @id AND kind = 'tool'),
      errors = (SELECT COUNT(*) FROM spans WHERE run_id = @id AND status = 'error')
             + (SELECT COUNT(*) FROM events WHERE run_id = @id AND severity = 'error'),
      metric_samples = (SELECT COUNT(*) FROM metric_samples WHERE run_id = @id),
      events = (SELECT COUNT(*) FROM events WHERE run_id = @id),
      input_tokens = (SELECT COALESCE(SUM(input_tokens), 0) FROM spans WHERE run_id = @id AND kind = 'llm'),
      output_tokens = (SELECT COALESCE(SUM(output_tokens), 0) FROM spans WHERE run_id = @id AND kind = 'llm'),
      cache_creation_tokens = (SELECT COALESCE(SUM(cache_creation_tokens), 0) FROM spans WHERE run_id = @id AND kind = 'llm'),
      cache_read_tokens = (SELECT COALESCE(SUM(cache_read_tokens), 0) FROM spans WHERE run_id = @id AND kind = 'llm'),
      cost_usd = (SELECT COALESCE(SUM(cost_usd), 0) FROM spans WHERE run_id = @id AND kind = 'llm'),
      reported_cost_usd = (SELECT SUM(reported_cost_usd) FROM spans WHERE run_id = @id),
      unpriced_models = (SELECT json_group_array(model) FROM (SELECT DISTINCT model FROM spans
                         WHERE run_id = @id AND kind = 'llm' AND cost_usd IS NULL AND model IS NOT NULL ORDER BY model))
    WHERE id = @id`,
  ).run({ id: runId })
}
