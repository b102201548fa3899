import { utf8BomLength } from '../bom'
import type { FormatImporter, SniffInput } from '../formats'
import { readJsonLines } from '../json-lines'
import { LineError, type RecordSink } from '../records'
import { NDJSON_FORMAT, NDJSON_VERSION, RECORD_TYPES, parseNdjsonRecord, type NdjsonContext, type NdjsonRecord } from './schema'

interface ResumeState extends NdjsonContext {
  [key: string]: unknown
}

/**
 * The first non-empty line of the head, parsed; null when it is not a complete JSON object, or
 * cannot be a versioned first record (no `"v"` in it). Every file of a folder import is sniffed
 * as NDJSON first (registry.ts): decoding and splitting each 64 KB head, then parsing its first
 * line, added ~90 ms to sniffing a 1 GB corpus's 10,000 transcripts, where a byte search in the
 * first line costs next to nothing.
 */
function firstRecord(head: Buffer): Record<string, unknown> | null {
  let from = utf8BomLength(head)
  while (from < head.length) {
    const newline = head.indexOf(0x0a, from)
    const end = newline === -1 ? head.length : newline
    let i = from
    while (i < end && (head[i] === 0x20 || (head[i] >= 0x09 && head[i] <= 0x0d))) i++
    // A line of other whitespace (U+00A0, U+FEFF…) is passed over, as String.trim() would: decoded only then.
    const blank = i === end || (head[i] >= 0x80 && head.toString('utf8', i, end).trim() === '')
    if (!blank) {
      // Searched in the line alone: a 3-byte search through the rest of a 64 KB head took ~18 µs.
      if (head.subarray(i, end).indexOf(VERSION_KEY) === -1) return null
      try {
        // The whole line, as it was parsed before: JSON takes leading spaces, tabs and CR, not \v or \f.
        const v = JSON.parse(head.toString('utf8', from, end)) as unknown
        return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null
      } catch {
        return null
      }
    }
    from = end + 1
  }
  return null
}
const VERSION_KEY = Buffer.from('"v"')

/**
 * Writes one record. A record may name a run that no `run` line introduced (or one from an
 * earlier import of a grown file): the run row is created first, because spans, agents,
 * events and samples hang off it.
 */
export function writeNdjsonRecord(sink: RecordSink, rec: NdjsonRecord, runsSeen: Set<string>): void {
  if (rec.type === 'run') {
    runsSeen.add(rec.record.id)
    return sink.run(rec.record)
  }
  const runId = rec.record.runId
  if (!runsSeen.has(runId)) {
    sink.run({ id: runId, source: 'ndjson', format: NDJSON_FORMAT, name: runId })
    runsSeen.add(runId)
  }
  if (rec.type === 'agent') sink.agent(rec.record)
  else if (rec.type === 'span') sink.span(rec.record)
  else if (rec.type === 'event') sink.event(rec.record)
  else sink.metric(rec.record)
}

/** Swarmscope's own event stream (docs/formats/ndjson.md). Append-only: a grown file resumes where the last import stopped. */
export const ndjsonFormat: FormatImporter = {
  format: NDJSON_FORMAT,
  appendOnly: true,
  sniff({ name, head }: SniffInput) {
    if (!/\.(ndjson|jsonl|json)$/.test(name)) return false
    const first = firstRecord(head)
    return first !== null && first.v === NDJSON_VERSION && (RECORD_TYPES as readonly unknown[]).includes(first.type)
  },
  async importFile(ctx) {
    const resume = (ctx.resumeFrom?.resume ?? {}) as ResumeState
    const state: NdjsonContext = { runId: typeof resume.runId === 'string' ? resume.runId : null, versioned: resume.versioned === true }
    const runsSeen = new Set<string>()
    let firstLine = true
    const result = await readJsonLines(ctx, (text, lineNo) => {
      if (text.trim() === '') return
      try {
        let obj: unknown
        try {
          obj = JSON.parse(text)
        } catch (e) {
          throw new LineError(`not valid JSON (${(e as Error).message})`)
        }
        // A "v" on the stream's first record covers the lines after it (see the format doc).
        if (firstLine && !ctx.resumeFrom && typeof obj === 'object' && obj !== null && (obj as { v?: unknown }).v === NDJSON_VERSION) state.versioned = true
        const rec = parseNdjsonRecord(obj, lineNo, state)
        if (rec.type === 'run') state.runId = rec.record.id
        writeNdjsonRecord(ctx.sink, rec, runsSeen)
      } finally {
        firstLine = false
      }
    })
    return { endOffset: result.endOffset, lines: result.lines, resume: { runId: state.runId ?? null, versioned: state.versioned === true } }
  },
}
