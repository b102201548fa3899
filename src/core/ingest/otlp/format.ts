import { closeSync, openSync, readFileSync, readSync } from 'node:fs'
import type { FileImportContext, FormatImporter, SniffInput } from '../formats'
import { readLines } from '../lines'
import { LineError } from '../records'
import { OTLP_FORMAT, writeBatch } from './batch'
import { mapOtlpRequest } from './map'

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
    return head.toString('utf8', 0, nl === -1 ? n : nl)
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

function reporter(ctx: FileImportContext) {
  let reported = 0
  return (line: number | null, problems: string[]) => {
    for (const p of problems) {
      if (reported++ < MAX_PROBLEMS) ctx.skip(line, p)
      else if (reported === MAX_PROBLEMS + 1) ctx.skip(line, 'more items skipped; only the first 50 problems are listed')
    }
  }
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
      // A whole (usually pretty-printed) request.
      let req: unknown
      try {
        req = JSON.parse(readFileSync(ctx.path, 'utf8'))
      } catch (e) {
        ctx.skip(null, `not valid JSON (${(e as Error).message})`)
        return { endOffset: ctx.size, lines: 0 }
      }
      try {
        const batch = mapOtlpRequest(req)
        writeBatch(ctx.sink, batch)
        report(null, batch.problems)
      } catch (e) {
        if (!(e instanceof LineError)) throw e
        ctx.skip(null, e.message)
      }
      return { endOffset: ctx.size, lines: 0 }
    }
    const res = await readLines(
      ctx.path,
      ctx.size,
      (text, lineNo) => {
        if (text.trim() === '') return
        try {
          let req: unknown
          try {
            req = JSON.parse(text)
          } catch (e) {
            throw new LineError(`not valid JSON (${(e as Error).message})`)
          }
          const batch = mapOtlpRequest(req)
          writeBatch(ctx.sink, batch)
          report(lineNo, batch.problems)
        } catch (e) {
          if (e instanceof LineError) ctx.skip(lineNo, e.message)
          else throw e
        }
      },
      isJson,
      { signal: ctx.signal, onProgress: ctx.progress },
    )
    if (res.incompleteTail) ctx.skip(res.lines + 1, 'incomplete last line (no newline, not valid JSON); it is read again on the next import')
    return { endOffset: res.endOffset, lines: res.lines }
  },
}
