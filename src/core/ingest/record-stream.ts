import type { PriceTable } from '../pricing/price'
import type { RedactionRule } from '../privacy/redact'
import type { Binder } from './bind'
import { claudeCodeFormat } from './claude-code/format'
import type { FileJob, FileOutcome } from './file-reader'
import type { FormatImporter } from './formats'
import { ndjsonFormat } from './ndjson/format'
import type { ContentPolicy, RecordSink } from './records'
import type { WriteOp } from './writer'

// What the parse worker sends back: the statements its parsers' records became (bind.ts), in
// order, with the file boundaries, skipped lines and progress between them. The importer runs
// them with the same writer statements as records parsed in its own thread.

/**
 * The formats read off the importer's thread (the worker, or the importer ahead of its turn):
 * they are where the bytes are, and need nothing native. Any other file is 'deferred'.
 */
export const STREAMED_FORMATS: readonly FormatImporter[] = [claudeCodeFormat, ndjsonFormat]

/** A statement whose repeated strings are indexes into its batch's table (`Interner`). */
export type EncodedOp = [WriteOp[0], WriteOp[1], true]
/** A file's events are `begin` (its index in the jobs), its statements, skips and progress, then `done`. */
export type StreamEvent = WriteOp | EncodedOp | ['begin', number] | ['skip', number | null, string] | ['progress', number, number] | ['done', FileOutcome]

/** `claim`: one Int32, the index of the next job nobody has taken (the worker and the importer both take jobs). */
export type ToWorker = { type: 'jobs'; jobs: FileJob[]; claim: SharedArrayBuffer } | { type: 'ack' }
/** `strings`: the batch's table of repeated short strings (see `Interner`). */
/** `end`: every job is taken and what the worker read is sent. */
export type FromWorker = { type: 'events'; events: StreamEvent[]; strings: string[] } | { type: 'end' } | { type: 'error'; name: string; message: string; code?: string }

/** Everything bind.ts needs, as plain data (rules' patterns are RegExps, which cross threads). */
export interface WorkerInit {
  contentPolicy: ContentPolicy
  redactRules: readonly RedactionRule[]
  prices: PriceTable
}

/**
 * Span rows held back at most, to be written in key order (see `recordingSink`). A file's spans
 * are rarely more; a larger file is sorted in windows of this many, in constant memory.
 */
export const SPAN_ORDER_WINDOW = 4096

const byKey = (a: WriteOp, b: WriteOp): number => {
  const ra = a[1][0] as string, rb = b[1][0] as string
  if (ra !== rb) return ra < rb ? -1 : 1
  const ia = a[1][1] as string, ib = b[1][1] as string
  return ia < ib ? -1 : ia > ib ? 1 : 0
}

/**
 * A sink that binds and records instead of writing. `endSpan` cannot know whether the span
 * exists and answers true; the formats the worker reads ignore that answer.
 *
 * Span rows are handed on sorted by (run, id), in windows, instead of in the order a transcript
 * meets them: span ids are random (message and tool-call ids), and inserting a run's spans in
 * random key order splits B-tree pages all over the run's range. Inserted alone, the 305k
 * spans of the 1 GB bench corpus took 4.0-4.4 s with each run's spans in key order against
 * 5.2-5.7 s in transcript order; in a whole import the writing thread's time in SQLite fell
 * ~12 %, and the store is 5 % smaller. The order of two rows for the same span is kept (the sort is stable), and the window
 * is flushed before any `endSpan`, which updates a span that must already be written. The
 * other tables' rows do not depend on spans and go on at once. Call `flush()` at each file's end.
 */
export function recordingSink(contentPolicy: ContentPolicy, binder: Binder, push: (e: StreamEvent) => void): RecordSink & { flush(): void } {
  let spans: WriteOp[] = []
  const flush = () => {
    if (spans.length === 0) return
    const sorted = spans.sort(byKey)
    spans = []
    for (const op of sorted) push(op)
  }
  return {
    contentPolicy,
    content: (c) => {
      const row = binder.content(c)
      if (row) push(['content', row])
    },
    run: (r) => push(['run', binder.run(r)]),
    agent: (a) => push(['agent', binder.agent(a)]),
    span: (s) => {
      spans.push(['span', binder.span(s)])
      if (spans.length >= SPAN_ORDER_WINDOW) flush()
    },
    endSpan: (e) => (flush(), push(['endSpan', binder.endSpan(e)]), true),
    event: (e) => push(['event', binder.event(e)]),
    metric: (m) => push(['metric', binder.metric(m)]),
    // After the spans held back: the move is of rows that must be written by then.
    moveAgent: (m) => (flush(), push(['moveAgent', binder.moveAgent(m)])),
    flush,
  }
}

export const isWriteOp = (e: StreamEvent): e is WriteOp | EncodedOp => e[0] !== 'skip' && e[0] !== 'progress' && e[0] !== 'done' && e[0] !== 'begin'

/**
 * Positions in each statement's parameters that only ever hold a string or null and repeat from
 * row to row (run ids, kinds, names, models, statuses). They cross the thread as indexes into a
 * per-batch table: every string sent is a string the importer's thread must allocate again,
 * and these were most of them.
 */
const INTERNED: Record<WriteOp[0], readonly number[]> = {
  run: [0, 1, 2, 3, 4],
  agent: [0, 2, 3, 4, 5, 8, 9, 10, 11],
  span: [0, 2, 3, 4, 5, 8, 10],
  endSpan: [2, 3, 6],
  event: [0, 3, 4, 5],
  metric: [0, 1, 2],
  content: [0, 2, 6],
  moveAgent: [0, 1, 2, 3],
}
const MAX_INTERNED_LENGTH = 80

/** Worker side: replaces the repeated strings of a batch's rows by table indexes. */
export class Interner {
  private index = new Map<string, number>()
  strings: string[] = []
  encode(op: WriteOp | EncodedOp): WriteOp | EncodedOp {
    if (op.length === 3) return op
    const row = op[1]
    const at = INTERNED[op[0]]
    // Rows are left as they are unless those positions hold what they should (a number there
    // would read back as a table entry).
    for (const i of at) if (row[i] != null && typeof row[i] !== 'string') return op
    for (const i of at) {
      const v = row[i]
      if (typeof v !== 'string' || v.length > MAX_INTERNED_LENGTH) continue
      let n = this.index.get(v)
      if (n === undefined) {
        n = this.strings.length
        this.strings.push(v)
        this.index.set(v, n)
      }
      row[i] = n
    }
    return [op[0], row, true]
  }
  /** Starts the next batch's table. */
  take(): string[] {
    const out = this.strings
    this.strings = []
    this.index = new Map()
    return out
  }
}

/** Importer side: puts the strings back into an encoded row. */
export function decode(op: WriteOp | EncodedOp, strings: readonly string[]): WriteOp {
  if (op.length === 3) {
    const row = op[1]
    for (const i of INTERNED[op[0]]) if (typeof row[i] === 'number') row[i] = strings[row[i] as number]
  }
  return op as WriteOp
}
