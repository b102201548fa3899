import { closeSync, openSync, readSync } from 'node:fs'
import type { FileImportContext, FileImportResult, FormatImporter, SniffInput } from '../formats'
import { readJsonDocument } from '../json-document'
import { jsonFailure } from '../json-error'
import { readLines, tooLongReason } from '../lines'
import { LineError } from '../records'
import { OTLP_FORMAT, writeBatch, type OtlpBatch } from './batch'
import { FieldError, pathText, type JsonPath } from './fields'
import { linesOf } from '../json-locate'
import { mapOtlpRequest } from './map'
import { withoutBom } from '../bom'

const OTLP_KEY = /"resource(Spans|Metrics|Logs)"\s*:/
/** A file with thousands of bad items lists the first ones, not all. */
const MAX_PROBLEMS = 50

/** The file's first line, if it ends within the first 64 KiB. */
function firstLine(path: string): string {
  const fd = openSync(path, 'r')
  try {
    const head = Buffer.alloc(64 * 1024)
    const n = readSync(fd, head, 0, head.length, 0)
    const nl = head.subarray(0, n).indexOf(0x0a)
    return withoutBom(head.toString('utf8', 0, nl === -1 ? n : nl))
  } finally {
    closeSync(fd)
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** The mapper's reason and, for an item inside the request, where: a line can hold hundreds of spans. */
const located = (reason: string, path: JsonPath) => (path.length > 1 ? `${reason} (at ${pathText(path)})` : reason)

type LinesOf = (paths: JsonPath[]) => (number | null)[]

function reporter(ctx: FileImportContext) {
  let reported = 0
  /** `lines` is asked only for the problems listed, so a whole file is searched only for those. */
  return (batch: OtlpBatch, lines: LinesOf, here: number | null) => {
    const { problems, problemPaths } = batch
    const shown = Math.max(0, Math.min(problems.length, MAX_PROBLEMS - reported))
    const at = shown > 0 ? lines(problemPaths.slice(0, shown)) : []
    for (let k = 0; k < shown; k++) ctx.skip(at[k], located(problems[k], problemPaths[k]))
    if (reported <= MAX_PROBLEMS && reported + problems.length > MAX_PROBLEMS) ctx.skip(here, `more items skipped; only the first ${MAX_PROBLEMS} problems are listed`)
    reported += problems.length
  }
}

/** Maps and writes one request; a request that is wrong as a whole is one skipped entry. */
function importRequest(ctx: FileImportContext, req: unknown, report: ReturnType<typeof reporter>, lines: LinesOf, here: number | null): void {
  try {
    const batch = mapOtlpRequest(req)
    writeBatch(ctx.sink, batch)
    report(batch, lines, here)
  } catch (e) {
    if (!(e instanceof LineError)) throw e
    if (e instanceof FieldError) ctx.skip(lines([e.path])[0], located(e.message, e.path))
    else ctx.skip(here, e.message)
  }
}

/** A line after the first that is a whole request: the file is one request per line with a cut-off first line. */
function laterLineIsRequest(text: string): boolean {
  return text.split('\n', 12).slice(1).some((l) => OTLP_KEY.test(l) && isJson(l))
}

/**
 * A whole (usually pretty-printed) request. Problems are given the line of their field, found
 * in the text only after a failure; null when the file turns out to be one request per line.
 */
function importWhole(ctx: FileImportContext, report: ReturnType<typeof reporter>): FileImportResult | null {
  const doc = readJsonDocument(ctx.path, ctx.size)
  if ('tooLarge' in doc) {
    ctx.skip(null, `${doc.tooLarge}; as one request per line (what the Collector's file exporter writes) it would be read in constant memory`)
    return { endOffset: ctx.size, lines: 0 }
  }
  const { text } = doc
  let req: unknown
  try {
    req = JSON.parse(text)
  } catch (e) {
    if (laterLineIsRequest(text)) return null
    const failure = jsonFailure(text, e)
    ctx.skip(failure.line, failure.reason)
    return { endOffset: ctx.size, lines: 0 }
  }
  importRequest(ctx, req, report, (paths) => linesOf(text, paths), null)
  return { endOffset: ctx.size, lines: 0 }
}

/**
 * OTLP/JSON files: one export request per file (what an OTLP/HTTP JSON body looks like), or
 * one request per line (the Collector's file exporter). Re-read whole when they change: a
 * rewritten JSON file cannot be resumed from an offset, and the records are upserts anyway.
 */
export const otlpJsonFormat: FormatImporter = {
  format: OTLP_FORMAT,
  appendOnly: false,
  sniff({ name, head }: SniffInput) {
    if (!/\.(json|jsonl)$/.test(name)) return false
    const text = head.toString('utf8', 0, Math.min(head.length, 2048))
    return text.trimStart().startsWith('{') && OTLP_KEY.test(text)
  },
  async importFile(ctx) {
    const report = reporter(ctx)
    const line1 = firstLine(ctx.path)
    if (line1.trim() === '' || !isJson(line1)) {
      const whole = importWhole(ctx, report)
      if (whole) return whole
    }
    const res = await readLines(
      ctx.path,
      ctx.size,
      (text, lineNo) => {
        if (text.trim() === '') return
        let req: unknown
        try {
          req = JSON.parse(text)
        } catch (e) {
          return ctx.skip(lineNo, jsonFailure(text, e).reason)
        }
        importRequest(ctx, req, report, (paths) => paths.map(() => lineNo), lineNo)
      },
      isJson,
      { signal: ctx.signal, onProgress: ctx.progress, onTooLong: (lineNo, bytes) => ctx.skip(lineNo, tooLongReason(bytes)) },
    )
    if (res.incompleteTail) ctx.skip(res.lines + 1, 'incomplete last line (no newline, not valid JSON); it is read again on the next import')
    return { endOffset: res.endOffset, lines: res.lines }
  },
}
