import type { Database } from 'better-sqlite3'
import { TIMELINE_KINDS, type LocatedSpan, type SpanDetail, type TimelineAgent, type TimelineWindow } from '../../shared/spans-dto'
import { CoreError } from '../../shared/result'
import { getRun } from './runs'

// The timeline's visible time range. A 100 k-span run is never sent whole: spans at least `minPx`
// wide at the requested zoom come one by one, narrower ones are counted per agent, kind and
// bucket of `minPx` pixels, so the answer is bounded by the chart's width, not the run's size.

const KIND_INDEX = new Map<string, number>(TIMELINE_KINDS.map((k, i) => [k, i]))
const KINDS_AT_DEPTH = [['agent'], ['agent', 'llm'], [...TIMELINE_KINDS]]

/**
 * Agents depth-first under their parents, each with its lifetime (first start to last end of its
 * spans). A caller that has just read every span (the breakdown) passes the lifetimes it folded,
 * sparing a GROUP BY over the whole run.
 */
export function timelineAgents(db: Database, runId: string, lifetimes?: Map<string, { startMs: number | null; endMs: number | null }>): TimelineAgent[] {
  const rows = lifetimes
    ? (db.prepare('SELECT id, name, type, parent_agent_id AS parentAgentId FROM agents WHERE run_id = ?').all(runId) as Omit<TimelineAgent, 'depth' | 'startMs' | 'endMs'>[])
        .map((a): Omit<TimelineAgent, 'depth'> => ({ ...a, startMs: lifetimes.get(a.id)?.startMs ?? null, endMs: lifetimes.get(a.id)?.endMs ?? null }))
    : (db
        .prepare(
          `SELECT a.id, a.name, a.type, a.parent_agent_id AS parentAgentId, l.startMs, l.endMs FROM agents a
           LEFT JOIN (SELECT agent_id, MIN(start_ms) AS startMs, MAX(COALESCE(end_ms, start_ms)) AS endMs FROM spans
                      WHERE run_id = @id AND agent_id IS NOT NULL GROUP BY agent_id) l ON l.agent_id = a.id
           WHERE a.run_id = @id`,
        )
        .all({ id: runId }) as Omit<TimelineAgent, 'depth'>[])
  const byParent = new Map<string | null, typeof rows>()
  const ids = new Set(rows.map((r) => r.id))
  for (const r of rows) {
    // A parent that is not in the run (or a cycle's entry point) makes the agent top-level.
    const p = r.parentAgentId !== null && ids.has(r.parentAgentId) && r.parentAgentId !== r.id ? r.parentAgentId : null
    byParent.set(p, [...(byParent.get(p) ?? []), r])
  }
  const order = (xs: typeof rows) => [...xs].sort((a, b) => (a.startMs ?? Infinity) - (b.startMs ?? Infinity) || (a.id < b.id ? -1 : 1))
  const out: TimelineAgent[] = []
  const seen = new Set<string>()
  const visit = (parent: string | null, depth: number) => {
    for (const r of order(byParent.get(parent) ?? [])) {
      if (seen.has(r.id)) continue
      seen.add(r.id)
      out.push({ ...r, depth })
      visit(r.id, depth + 1)
    }
  }
  visit(null, 0)
  // Agents only reachable through a cycle still get a row.
  for (const r of order(rows)) if (!seen.has(r.id)) out.push({ ...r, depth: 0 })
  return out
}

export interface WindowOptions {
  fromMs?: number
  toMs?: number
  width: number
  depth?: number
  minPx?: number
  cap?: number
}

export function timelineWindow(db: Database, ref: string, o: WindowOptions): TimelineWindow {
  const run = getRun(db, ref)
  const runStartMs = run.startedAt ? Date.parse(run.startedAt) : null
  const runEndMs = run.endedAt ? Date.parse(run.endedAt) : null
  const fromMs = o.fromMs ?? runStartMs ?? 0
  const toMs = Math.max(o.toMs ?? runEndMs ?? fromMs, fromMs + 1)
  const msPerPx = (toMs - fromMs) / o.width
  const minMs = (o.minPx ?? 2) * msPerPx
  const cap = o.cap ?? 20_000
  const agents = timelineAgents(db, run.id)
  const agentIndex = new Map(agents.map((a, i) => [a.id, i]))
  // Kinds come from a constant list, so they are written into the SQL: json_each per row cost more than the scan.
  const kinds = KINDS_AT_DEPTH[o.depth ?? 2].map((k) => `'${k}'`).join(',')
  const params = { id: run.id, from: fromMs, to: toMs, minMs, cap: cap + 1 }
  // Zoomed in, the (run_id, start_ms) index finds the window; zoomed out, a plain scan of the run's rows is 3× faster.
  const wholeRun = runStartMs === null || runEndMs === null || toMs - fromMs > 0.25 * (runEndMs - runStartMs)
  const table = wholeRun ? 'spans NOT INDEXED' : 'spans'
  const where = `run_id = @id AND start_ms IS NOT NULL AND start_ms <= @to AND COALESCE(end_ms, start_ms) >= @from AND kind IN (${kinds})`

  const wide = db
    .prepare(
      `SELECT id, name, agent_id, kind, start_ms, COALESCE(end_ms, start_ms) AS e, status = 'error' AS err FROM ${table}
       WHERE ${where} AND COALESCE(end_ms, start_ms) - start_ms >= @minMs
       ORDER BY COALESCE(end_ms, start_ms) - start_ms DESC LIMIT @cap`,
    )
    .raw()
    .all(params) as [string, string, string | null, string, number, number, number][]
  const capped = wide.length > cap
  // Past the cap, the shortest of the wide spans join the buckets: the threshold moves up to the
  // duration where the cap fell, and every span of that duration goes to the buckets (none twice).
  const bucketBelowMs = capped ? wide[cap][5] - wide[cap][4] : minMs
  if (capped) while (wide.length > 0 && wide[wide.length - 1][5] - wide[wide.length - 1][4] <= bucketBelowMs) wide.pop()
  const bucketMs = Math.max(minMs, msPerPx)
  const narrow = db
    .prepare(
      `SELECT agent_id, kind, CAST((MAX(start_ms, @from) - @from) / @bucket AS INTEGER) AS b, COUNT(*), SUM(status = 'error')
       FROM ${table} WHERE ${where} AND COALESCE(end_ms, start_ms) - start_ms ${capped ? '<=' : '<'} @below
       GROUP BY agent_id, kind, b`,
    )
    .raw()
    .all({ ...params, bucket: bucketMs, below: bucketBelowMs }) as [string | null, string, number, number, number][]

  const spans: TimelineWindow['spans'] = { id: [], name: [], agent: [], kind: [], start: [], end: [], error: [] }
  // Drawn in start order, so later spans paint over earlier ones predictably.
  wide.sort((a, b) => a[4] - b[4])
  for (const [id, name, agentId, kind, s, e, err] of wide) {
    spans.id.push(id)
    spans.name.push(name)
    spans.agent.push(agentId === null ? -1 : (agentIndex.get(agentId) ?? -1))
    spans.kind.push(KIND_INDEX.get(kind) ?? 4)
    spans.start.push(s)
    spans.end.push(e)
    spans.error.push(err)
  }
  const buckets: TimelineWindow['buckets'] = { agent: [], kind: [], start: [], end: [], count: [], errors: [] }
  let bucketed = 0
  for (const [agentId, kind, b, n, errors] of narrow) {
    buckets.agent.push(agentId === null ? -1 : (agentIndex.get(agentId) ?? -1))
    buckets.kind.push(KIND_INDEX.get(kind) ?? 4)
    buckets.start.push(fromMs + b * bucketMs)
    buckets.end.push(fromMs + (b + 1) * bucketMs)
    buckets.count.push(n)
    buckets.errors.push(errors)
    bucketed += n
  }
  return {
    runId: run.id, runStartMs, runEndMs, fromMs, toMs, msPerPx, agents, spans, buckets,
    total: wide.length + bucketed, shown: wide.length, capped,
  }
}

interface DetailRow extends Omit<SpanDetail, 'durationMs' | 'inputBytes' | 'outputBytes' | 'children'> {
  attrs: string
}

export function spanDetail(db: Database, ref: string, spanId: string): SpanDetail {
  const run = getRun(db, ref)
  const row = db
    .prepare(
      `SELECT s.id, s.parent_id AS parentId, s.agent_id AS agentId, a.name AS agentName, s.kind, s.name, s.start_ms AS startMs,
         s.end_ms AS endMs, s.status, s.error, s.model, s.input_tokens AS inputTokens, s.output_tokens AS outputTokens,
         s.cache_creation_tokens AS cacheCreationTokens, s.cache_read_tokens AS cacheReadTokens, s.cost_usd AS costUsd,
         s.reported_cost_usd AS reportedCostUsd, s.attrs
       FROM spans s LEFT JOIN agents a ON a.run_id = s.run_id AND a.id = s.agent_id WHERE s.run_id = ? AND s.id = ?`,
    )
    .get(run.id, spanId) as DetailRow | undefined
  if (!row) throw new CoreError('not_found', `no span ${spanId} in run ${run.id}`)
  const attrs = JSON.parse(row.attrs) as Record<string, unknown>
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null)
  const children = (db.prepare('SELECT COUNT(*) AS n FROM spans WHERE run_id = ? AND parent_id = ?').get(run.id, spanId) as { n: number }).n
  const { attrs: _attrs, ...rest } = row
  return {
    ...rest,
    durationMs: row.startMs !== null && row.endMs !== null ? row.endMs - row.startMs : null,
    inputBytes: num(attrs.inputBytes),
    outputBytes: num(attrs.outputBytes),
    children,
  }
}

/** Named spans' times and size in one query (the dashboard pins insights and anomalies with them). */
export function locateSpans(db: Database, ref: string, spanIds: string[]): LocatedSpan[] {
  const run = getRun(db, ref)
  return db
    .prepare(
      `SELECT id AS spanId, kind, name, agent_id AS agentId, start_ms AS startMs, end_ms AS endMs,
         CASE WHEN input_tokens IS NULL THEN NULL ELSE COALESCE(input_tokens,0) + COALESCE(output_tokens,0) + COALESCE(cache_creation_tokens,0) + COALESCE(cache_read_tokens,0) END AS tokens,
         cost_usd AS costUsd
       FROM spans WHERE run_id = ? AND id IN (SELECT value FROM json_each(?))`,
    )
    .all(run.id, JSON.stringify([...new Set(spanIds)])) as LocatedSpan[]
}
