import type { Database, Statement } from 'better-sqlite3'
import type { AgentSummary, ContentItem, RunContent, RunOverview, RunSummary, RunTotals, TokenPoint } from '../../shared/dto'
import { CoreError } from '../../shared/result'

/**
 * A summary row as an array, in RUN_COLUMNS' order: better-sqlite3 builds a row object key by key,
 * which took ~45 ms of a 3,824-run list against ~13 ms for the same rows as arrays.
 */
type RunRow = [
  id: string, source: string, format: string, name: string, groupName: string | null, contentPolicy: 'none' | 'redacted' | 'full',
  startedAt: number | null, endedAt: number | null, agents: number, spans: number, llmCalls: number, toolCalls: number, errors: number,
  metricSamples: number, events: number, inputTokens: number, outputTokens: number, cacheCreationTokens: number, cacheReadTokens: number,
  costUsd: number, reportedCostUsd: number | null, unpricedModels: string, tags: string | null,
]

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

// The summary's columns only: \`r.*\` also read each run's attrs JSON, which no summary shows.
const RUN_COLUMNS = `r.id, r.source, r.format, r.name, r.group_name, r.content_policy, r.started_at, r.ended_at, r.agents, r.spans,
  r.llm_calls, r.tool_calls, r.errors, r.metric_samples, r.events, r.input_tokens, r.output_tokens, r.cache_creation_tokens,
  r.cache_read_tokens, r.cost_usd, r.reported_cost_usd, r.unpriced_models,
  (SELECT json_group_object(key, value) FROM run_tags t WHERE t.run_id = r.id) AS tags`

function toSummary(r: RunRow): RunSummary {
  const [id, source, format, name, group, contentPolicy, startedAt, endedAt, agents, spans, llmCalls, toolCalls, errors, metricSamples, events,
    inputTokens, outputTokens, cacheCreationTokens, cacheReadTokens, costUsd, reportedCostUsd, unpriced, tags] = r
  return {
    id,
    source,
    format,
    name,
    group,
    tags: tags ? (JSON.parse(tags) as Record<string, string>) : {},
    startedAt: iso(startedAt),
    endedAt: iso(endedAt),
    durationMs: startedAt !== null && endedAt !== null ? endedAt - startedAt : null,
    agents,
    spans,
    llmCalls,
    toolCalls,
    errors,
    metricSamples,
    events,
    inputTokens,
    outputTokens,
    cacheCreationTokens,
    cacheReadTokens,
    costUsd,
    reportedCostUsd,
    // Most runs price every model: no parse for the common '[]'.
    unpricedModels: unpriced === '[]' ? [] : (JSON.parse(unpriced) as string[]),
    contentPolicy,
  }
}

export function listRuns(db: Database, opts: { group?: string; limit?: number } = {}): RunSummary[] {
  const rows = db
    .prepare(
      `SELECT ${RUN_COLUMNS} FROM runs r WHERE (@group IS NULL OR r.group_name = @group)
       ORDER BY COALESCE(r.started_at, r.created_at) DESC, r.id LIMIT @limit`,
    )
    .raw()
    .all({ group: opts.group ?? null, limit: opts.limit ?? -1 }) as RunRow[]
  return rows.map(toSummary)
}

/** Sums over the runs' summary columns: one aggregate, however many runs are stored. */
export function runTotals(db: Database, opts: { group?: string } = {}): RunTotals {
  return prepared(
    db,
    `SELECT COUNT(*) AS runs, COALESCE(SUM(input_tokens), 0) AS inputTokens, COALESCE(SUM(output_tokens), 0) AS outputTokens,
       COALESCE(SUM(cache_creation_tokens), 0) AS cacheCreationTokens, COALESCE(SUM(cache_read_tokens), 0) AS cacheReadTokens,
       COALESCE(SUM(llm_calls), 0) AS llmCalls, COALESCE(SUM(tool_calls), 0) AS toolCalls, COALESCE(SUM(errors), 0) AS errors,
       COALESCE(SUM(cost_usd), 0) AS costUsd, COALESCE(SUM(unpriced_models <> '[]'), 0) AS runsWithUnpricedModels
     FROM runs WHERE (@group IS NULL OR group_name = @group)`,
  ).get({ group: opts.group ?? null }) as RunTotals
}

const statements = new WeakMap<Database, Map<string, Statement>>()
/** Prepared once per connection: an import answers with every run it touched (thousands for a folder), one lookup each. */
function prepared(db: Database, sql: string): Statement {
  let byText = statements.get(db)
  if (!byText) statements.set(db, (byText = new Map()))
  let st = byText.get(sql)
  if (!st) byText.set(sql, (st = db.prepare(sql)))
  return st
}

/** Resolves a run reference: an id, or `latest` for the most recently started run. */
export function resolveRunId(db: Database, ref: string): string {
  if (ref === 'latest') {
    const row = db.prepare('SELECT id FROM runs ORDER BY COALESCE(started_at, created_at) DESC LIMIT 1').get() as { id: string } | undefined
    if (!row) throw new CoreError('not_found', 'there are no runs yet; import one first')
    return row.id
  }
  const row = prepared(db, 'SELECT id FROM runs WHERE id = ?').get(ref) as { id: string } | undefined
  if (!row) throw new CoreError('not_found', `no run with id ${ref}`)
  return row.id
}

/** The summaries of the stored runs among `ids`, in one query, in the order given (each id once); ids not stored are left out. */
export function storedRuns(db: Database, ids: readonly string[]): RunSummary[] {
  if (ids.length === 0) return []
  const rows = prepared(db, `SELECT ${RUN_COLUMNS} FROM json_each(?) j JOIN runs r ON r.id = j.value ORDER BY j.key`).raw().all(JSON.stringify([...new Set(ids)])) as RunRow[]
  return rows.map(toSummary)
}

/** The summaries of many runs in one query, in the order given (an import answers with every run it touched); every id must be stored. */
export function getRuns(db: Database, ids: readonly string[]): RunSummary[] {
  const runs = storedRuns(db, ids)
  if (runs.length !== new Set(ids).size) {
    const found = new Set(runs.map((r) => r.id))
    throw new CoreError('not_found', `no run with id ${ids.find((id) => !found.has(id))}`)
  }
  return runs
}

export function getRun(db: Database, ref: string): RunSummary {
  const id = resolveRunId(db, ref)
  return toSummary(prepared(db, `SELECT ${RUN_COLUMNS} FROM runs r WHERE r.id = ?`).raw().get(id) as RunRow)
}

export function runOverview(db: Database, ref: string, maxPoints = 200): RunOverview {
  const run = getRun(db, ref)
  const agents = db
    .prepare(
      `SELECT a.id, a.name, a.type, a.parent_agent_id AS parentAgentId,
         COUNT(s.id) FILTER (WHERE s.kind = 'llm') AS llmCalls,
         COUNT(s.id) FILTER (WHERE s.kind = 'tool') AS toolCalls,
         COALESCE(SUM(s.input_tokens), 0) AS inputTokens, COALESCE(SUM(s.output_tokens), 0) AS outputTokens,
         COALESCE(SUM(s.cache_creation_tokens), 0) AS cacheCreationTokens, COALESCE(SUM(s.cache_read_tokens), 0) AS cacheReadTokens,
         COALESCE(SUM(s.cost_usd), 0) AS costUsd
       FROM agents a LEFT JOIN spans s ON s.run_id = a.run_id AND s.agent_id = a.id AND s.kind IN ('llm', 'tool')
       WHERE a.run_id = ? GROUP BY a.id ORDER BY a.parent_agent_id IS NOT NULL, a.id`,
    )
    .all(run.id) as AgentSummary[]
  const start = run.startedAt ? Date.parse(run.startedAt) : 0
  const bucketMs = Math.max(1, Math.ceil((run.durationMs ?? 0) / maxPoints))
  // Downsampled in the store: the chart receives at most maxPoints buckets, whatever the run's size.
  const tokensOverTime = db
    .prepare(
      `SELECT @start + CAST((COALESCE(end_ms, start_ms) - @start) / @bucket AS INTEGER) * @bucket AS t,
         SUM(input_tokens) AS inputTokens, SUM(output_tokens) AS outputTokens,
         SUM(cache_creation_tokens) AS cacheCreationTokens, SUM(cache_read_tokens) AS cacheReadTokens
       FROM spans WHERE run_id = @id AND kind = 'llm' AND COALESCE(end_ms, start_ms) IS NOT NULL
       GROUP BY 1 ORDER BY 1`,
    )
    .all({ id: run.id, start, bucket: bucketMs }) as TokenPoint[]
  return { run, agents, tokensOverTime, bucketMs }
}

export function renameRun(db: Database, ref: string, name: string): RunSummary {
  const id = resolveRunId(db, ref)
  db.prepare('UPDATE runs SET name = ?, updated_at = ? WHERE id = ?').run(name, Date.now(), id)
  return getRun(db, id)
}

export function tagRun(db: Database, ref: string, tags: Record<string, string> = {}, group?: string | null): RunSummary {
  const id = resolveRunId(db, ref)
  db.transaction(() => {
    if (group !== undefined) db.prepare('UPDATE runs SET group_name = ? WHERE id = ?').run(group, id)
    const put = db.prepare('INSERT INTO run_tags (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT(run_id, key) DO UPDATE SET value = excluded.value')
    const del = db.prepare('DELETE FROM run_tags WHERE run_id = ? AND key = ?')
    // An empty value removes the tag.
    for (const [k, v] of Object.entries(tags)) {
      if (v === '') del.run(id, k)
      else put.run(id, k, v)
    }
  })()
  return getRun(db, id)
}

/** Deletes a run and everything derived from it (cascades), then purges the file (see purgeFreedPages). */
export function deleteRun(db: Database, ref: string): boolean {
  const id = resolveRunId(db, ref)
  // The files the run came from are forgotten too, so importing them again re-creates it.
  db.transaction(() => {
    // Every cached report that read the run (its own, and group or comparison reports that
    // include it) holds its names and figures: they go with it, whatever the connection's
    // foreign-key setting (the cascade through report_cache_runs needs it on).
    db.prepare('DELETE FROM report_cache WHERE key IN (SELECT key FROM report_cache_runs WHERE run_id = ?)').run(id)
    db.prepare('DELETE FROM imported_files WHERE path IN (SELECT path FROM file_runs WHERE run_id = ?)').run(id)
    db.prepare('DELETE FROM runs WHERE id = ?').run(id)
  })()
  // Purge: the deleted rows (and any stored text) must not survive in free pages or the WAL.
  if (!db.inTransaction) purgeFreedPages(db)
  return true
}

/**
 * The text stored for a run (or one of its spans), in the order it was read; empty when the
 * run was imported under the 'none' content policy. Pieces of one span's text are joined.
 */
export function runContent(db: Database, ref: string, spanId?: string): RunContent {
  const run = getRun(db, ref)
  const rows = db
    .prepare(
      `SELECT span_id AS spanId, part, text, policy, ts FROM span_content
       WHERE run_id = @id AND (@span IS NULL OR span_id = @span) ORDER BY ts IS NULL, ts, rowid`,
    )
    .all({ id: run.id, span: spanId ?? null }) as ContentItem[]
  const items = new Map<string, ContentItem>()
  for (const r of rows) {
    const key = `${r.spanId}\u0000${r.part}`
    const seen = items.get(key)
    if (!seen) items.set(key, { ...r })
    else {
      seen.text += `\n${r.text}`
      if (r.policy === 'redacted') seen.policy = 'redacted'
    }
  }
  return { runId: run.id, contentPolicy: run.contentPolicy, items: [...items.values()] }
}

/**
 * After a delete: rebuilds the database file without the freed pages (VACUUM) and empties the
 * WAL into it (checkpoint TRUNCATE), so deleted text is not left behind in either file. Must
 * run on the write connection, outside any transaction. Returns whether the WAL was emptied
 * (another process reading the file can keep it busy; the next checkpoint then finishes the job).
 */
export function purgeFreedPages(db: Database): boolean {
  if (db.inTransaction) throw new Error('purgeFreedPages must run outside a transaction')
  db.exec('VACUUM')
  const [row] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[]
  return !row || row.busy === 0
}
