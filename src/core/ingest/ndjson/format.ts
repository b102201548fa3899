import type { FormatImporter, SniffInput } from '../formats'
import { readJsonLines } from '../json-lines'
import { LineError, type RecordSink } from '../records'
import { NDJSON_FORMAT, NDJSON_VERSION, RECORD_TYPES, parseNdjsonRecord, type NdjsonContext, type NdjsonRecord } from './schema'
import { withoutBom } from '../bom'

interface ResumeState extends NdjsonContext {
  [key: string]: unknown
}

/** The first non-empty line of the head, parsed; null when it is not a complete JSON object. */
function firstRecord(head: Buffer): Record<string, unknown> | null {
  for (const line of withoutBom(head.toString('utf8')).split('\n')) {
    if (line.trim() === '') continue
    try {
      const v = JSON.parse(line) as unknown
      return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null
    } catch {
      return null
    }
  }
  return null
}

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
