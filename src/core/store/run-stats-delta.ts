import type { Statement } from 'better-sqlite3'
import type { WriteFollower, WriteOp } from '../ingest/writer'
import type { Store } from './open'
import { sumOf, sumStep } from '../queries/breakdown-fold'
import { max, min, NO_MODEL, refreshRunStats, settleAgentLinks, sortedModels, SPAN_FIGURE_COLUMNS, timeFigures, writeRunSummary, type SpanFigureRow, type SpanFigures, type TimeFigures } from './run-stats'

// Summaries of runs that were in the store before an import, brought up to date from the span
// rows the import touched instead of from all of the run's spans. Summing a run up again reads
// every span it has (with their attributes) to add the few that a tail's import brings: the cost
// of each append grew with the session, and the pages read were mostly not in memory (a 3-span
// sum took ~150 µs per run on pages not touched lately here, ~18 µs on pages in memory). On the
// 1,489 grown transcripts of the 1 GB bench corpus, imported in a fresh process, the import took
// 1,406 ms against 1,459 ms (medians of 5, alternated).
//
// The figures before the import are taken on the write connection just before the import first
// writes to the run (its summary and events) or to a span (that span's own figures), so they
// are the rows as committed, and the pages read are the ones the write is about to change.
// The new summary is the old one minus what the touched spans counted before plus what they
// count now. That is exact because the writer only ever widens a span (earlier start, later
// end), keeps its first tokens and cost, and lets an error status win; where a touched span
// could have moved a run's start or end bound inward or left the unpriced list (the rare
// cases where a difference is not enough), the run is summed up from all of its rows as before.
//
// The figures after are what each write gave back (RETURNING), kept per span, so no span is read
// again to sum them; a span new to the store is not read before either (writer.ts). The run's
// events and metric samples are counted again, and its agents' links settled, only where the
// import wrote to them. On the bench corpus's 1,489 grown transcripts that is ~11 statements per
// transcript where it took ~17, and the import took 1,352 ms against 1,420 ms (medians of 8 fresh
// processes, alternated): most of what the dropped reads cost moved to the writes that followed
// them, which now meet those pages first.

interface RunRow {
  started_at: number | null
  ended_at: number | null
  spans: number
  llm_calls: number
  tool_calls: number
  errors: number
  input_tokens: number
  output_tokens: number
  cache_creation_tokens: number
  cache_read_tokens: number
  cost_usd: number
  reported_cost_usd: number | null
  unpriced_models: string
  events: number
  metric_samples: number
}

/** The counted figures of a set of spans; the sums of reals are taken apart, as SQLite takes them (see `sqliteSum`). */
type Counts = Omit<SpanFigures, 'unpriced' | 'cost' | 'reportedCost'>
const noCounts = (): Counts => ({ spans: 0, llm: 0, tools: 0, errors: 0, input: 0, output: 0, cacheCreation: 0, cacheRead: 0, startMs: null, endMs: null })

/** A run that existed before the import: its summary then, and its touched spans' figures then and now. */
interface Tracked {
  old: RunRow
  /** Its events' error count before the import's first event write to it; null until then. */
  eventErrors: number | null
  /** Whether the import wrote events or metric samples to it. */
  timesMoved: boolean
  /** Whether the import made a write that settleAgentLinks may have to follow up. */
  linksMoved: boolean
  ids: Set<string>
  /** The touched spans' figures before the import. */
  before: Counts & { unpriced: boolean }
  /** Touched span id → its LLM cost and reported cost before the import. */
  costs: Map<string, [cost: number | null, reported: number | null]>
  /** Touched span id → its figures after the import's last write to it. */
  after: Map<string, SpanFigureRow>
}

/**
 * SUM over the spans' values as SQLite takes it for the touched ids (in key order, compensated),
 * null without a value: when the touched spans' costs did not change, before and after are then
 * the same number to the last bit, and the run's old sum stands exactly (re-reading a file must
 * not move its run's cost).
 */
function sqliteSum(costs: Map<string, [number | null, number | null]>, at: 0 | 1): number | null {
  const ids = [...costs.keys()]
  // Key order is BINARY (UTF-8 bytes); UTF-16 order differs only between astral characters and U+E000-U+FFFF.
  if (ids.some((id) => /[\ud800-\udfff]/.test(id))) ids.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
  else ids.sort()
  const acc = new Float64Array(2)
  let any = false
  for (const id of ids) {
    const v = costs.get(id)![at]
    if (v === null) continue
    sumStep(acc, 0, v)
    any = true
  }
  return any ? sumOf(acc, 0) : null
}

/** Adds one span's figures to `f` and its costs to `costs`; returns its model if it is an LLM call left unpriced. */
function count(f: Counts, costs: Map<string, [number | null, number | null]>, id: string, r: SpanFigureRow): string | null {
  const [kind, status, start, end, input, output, cacheCreation, cacheRead, cost, reported, model] = r
  costs.set(id, [kind === 'llm' ? cost : null, reported])
  f.spans++
  if (status === 'error') f.errors++
  if (kind === 'tool') f.tools++
  if (kind === 'llm') {
    f.llm++
    f.input += input ?? 0
    f.output += output ?? 0
    f.cacheCreation += cacheCreation ?? 0
    f.cacheRead += cacheRead ?? 0
  }
  f.startMs = min(f.startMs, start)
  f.endMs = max(f.endMs, end ?? start)
  // As SPAN_FIGURES lists them: a call with tokens but no model name is unpriced too.
  return kind === 'llm' && cost === null && (model !== null || input !== null) ? (model ?? NO_MODEL) : null
}

/** SPAN_FIGURES of the touched spans as they are now, summed here as SQLite sums them. */
function afterFigures(after: Map<string, SpanFigureRow>): SpanFigures {
  const f = noCounts()
  const costs = new Map<string, [number | null, number | null]>()
  const unpriced = new Set<string>()
  for (const [id, row] of after) {
    const model = count(f, costs, id, row)
    if (model !== null) unpriced.add(model)
  }
  return { ...f, cost: sqliteSum(costs, 0) ?? 0, reportedCost: sqliteSum(costs, 1), unpriced: JSON.stringify([...unpriced]) }
}

/** Touched spans of one run whose figures are kept (~100 bytes each) before it is summed up whole instead. */
const MAX_TRACKED_SPANS = 50_000

/** A touched span's figures before the import. */
function addSpan(t: Tracked, id: string, r: SpanFigureRow): void {
  if (count(t.before, t.costs, id, r) !== null) t.before.unpriced = true
}

/**
 * Per import: the writer tells it of its writes (WriteFollower), and `refresh(runId)` brings a
 * run's summary up to date, from the difference for runs that existed before the import and
 * from all of the run's rows (`refreshRunStats`) for runs it created.
 */
export function runStatsTracker(store: Store, opts: { maxTrackedSpans?: number } = {}) {
  // A run re-read whole (a transcript asked for under a more open content policy) touches every
  // span it has: past this many, what they were is not kept, and the run is summed up whole.
  const maxTracked = opts.maxTrackedSpans ?? MAX_TRACKED_SPANS
  const db = store.write
  /** Run → what it was before the import; null for runs the import created (or gave up following). */
  const runs = new Map<string, Tracked | null>()
  let st: Record<'old' | 'span', Statement> | null = null
  const statements = () =>
    (st ??= {
      old: db.prepare(`SELECT started_at, ended_at, spans, llm_calls, tool_calls, errors, input_tokens, output_tokens, cache_creation_tokens,
        cache_read_tokens, cost_usd, reported_cost_usd, unpriced_models, events, metric_samples FROM runs WHERE id = ?`),
      span: db.prepare(`SELECT ${SPAN_FIGURE_COLUMNS} FROM spans WHERE run_id = ? AND id = ?`).raw(),
    })

  /** The run as it was before the import, taken at its first write; null for a run the import creates. */
  const tracked = (runId: string): Tracked | null => {
    let t = runs.get(runId)
    if (t === undefined) {
      const old = statements().old.get(runId) as RunRow | undefined
      t = old
        ? {
            old, eventErrors: null, timesMoved: false, linksMoved: false, ids: new Set(),
            before: { ...noCounts(), unpriced: false },
            costs: new Map(), after: new Map(),
          }
        : null
      runs.set(runId, t)
    }
    return t
  }
  /** Takes a span into the run's touched spans; false once there are too many (the run is then summed up whole). */
  const touch = (runId: string, t: Tracked, spanId: string): boolean => {
    if (t.ids.has(spanId)) return true
    if (t.ids.size >= maxTracked) {
      runs.set(runId, null)
      return false
    }
    t.ids.add(spanId)
    return true
  }

  /** The new summary from the old one and the touched spans' figures; false where a difference cannot tell. */
  function fromDifference(runId: string, t: Tracked): boolean {
    const { old, before } = t
    const after = afterFigures(t.after)
    // A bound the touched spans held may have moved inward, or a model may have been priced since: count everything.
    if (before.startMs !== null && (after.startMs === null || after.startMs > before.startMs)) return false
    if (before.endMs !== null && (after.endMs === null || after.endMs < before.endMs)) return false
    if (before.unpriced) return false
    if (t.linksMoved) settleAgentLinks(db, runId)
    // Events and metric samples are only ever added: where none were, the old counts and bounds stand.
    const none: TimeFigures = { startMs: null, endMs: null, n: 0 }
    const { events: e, metrics: m } = t.timesMoved ? timeFigures(db, runId) : { events: { ...none, n: old.events }, metrics: { ...none, n: old.metric_samples } }
    const eventErrors = t.timesMoved ? (e.errors ?? 0) - (t.eventErrors ?? e.errors ?? 0) : 0
    const unpriced = after.unpriced === '[]' ? old.unpriced_models : sortedModels(JSON.stringify([...new Set([...(JSON.parse(old.unpriced_models) as string[]), ...(JSON.parse(after.unpriced) as string[])])]))
    // Only the touched spans' share changes: where it did not, the old sum stands as it was.
    const beforeCost = sqliteSum(t.costs, 0) ?? 0
    const beforeReported = sqliteSum(t.costs, 1)
    const cost = after.cost === beforeCost ? old.cost_usd : old.cost_usd - beforeCost + after.cost
    const reported = after.reportedCost === beforeReported ? old.reported_cost_usd
      : old.reported_cost_usd === null && after.reportedCost === null ? null : (old.reported_cost_usd ?? 0) - (beforeReported ?? 0) + (after.reportedCost ?? 0)
    writeRunSummary(db, runId, {
      startedAt: min(old.started_at, after.startMs, e.startMs, m.startMs), endedAt: max(old.ended_at, after.endMs, e.endMs, m.endMs),
      spans: old.spans + after.spans - before.spans, llm: old.llm_calls + after.llm - before.llm, tools: old.tool_calls + after.tools - before.tools,
      errors: old.errors + after.errors - before.errors + eventErrors, metrics: m.n, events: e.n,
      input: old.input_tokens + after.input - before.input, output: old.output_tokens + after.output - before.output,
      cacheCreation: old.cache_creation_tokens + after.cacheCreation - before.cacheCreation, cacheRead: old.cache_read_tokens + after.cacheRead - before.cacheRead,
      cost, reportedCost: reported, unpriced,
    })
    return true
  }

  const follower: WriteFollower = {
    beforeWrite([kind, row]: WriteOp): void {
      if (kind !== 'run' && kind !== 'event' && kind !== 'metric') return
      const t = tracked(row[0] as string)
      if (!t || kind === 'run') return
      // The events' errors are counted before the first event is added (the summary's errors include them).
      if (kind === 'event' && t.eventErrors === null) t.eventErrors = timeFigures(db, row[0] as string).events.errors ?? 0
      t.timesMoved = true
    },
    follows: (runId) => tracked(runId) !== null,
    before(runId, spanId) {
      const t = runs.get(runId)
      if (!t || t.ids.has(spanId) || !touch(runId, t, spanId)) return
      const row = statements().span.get(runId, spanId) as SpanFigureRow | undefined
      if (row) addSpan(t, spanId, row)
    },
    after(runId, spanId, figures) {
      const t = runs.get(runId)
      if (t && touch(runId, t, spanId)) t.after.set(spanId, figures)
    },
    linksMoved(runId) {
      const t = tracked(runId)
      if (t) t.linksMoved = true
    },
    // Rows of an agent given to another (an agent and its span gone): too much moved for a difference.
    agentMoved(runId) {
      runs.set(runId, null)
    },
  }
  return {
    follower,
    /** A run emptied to be read again whole: it is summed up from its rows, not from a difference. */
    forget(runId: string): void {
      runs.set(runId, null)
    },
    /** Brings a run's summary columns up to date with its rows, inside the import's transaction. */
    refresh(runId: string): void {
      // A run written to without the follower has no figures from before: count everything.
      const t = runs.get(runId)
      if (t && fromDifference(runId, t)) return
      refreshRunStats(db, runId)
    },
  }
}

export type RunStatsTracker = ReturnType<typeof runStatsTracker>
