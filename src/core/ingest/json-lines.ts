import type { FileImportContext } from './formats'
import { readLines, tooLongReason } from './lines'
import { inUpload } from './upload-place'
import { LineError } from './records'

/** A last line without its newline is complete only if it parses; otherwise it is being written. */
function parses(last: string): boolean {
  try {
    JSON.parse(last)
    return true
  } catch {
    return false
  }
}

/**
 * Reads an append-only JSON-lines file from where the last import stopped: a LineError from
 * `onLine` is reported with its line number and the import goes on; a half-written last line
 * is reported and left to be read whole next time.
 */
export async function readJsonLines(ctx: FileImportContext, onLine: (text: string, lineNo: number) => void): Promise<{ endOffset: number; lines: number }> {
  const result = await readLines(
    ctx.path,
    ctx.size,
    (text, lineNo) => {
      try {
        onLine(text, lineNo)
      } catch (e) {
        if (e instanceof LineError) ctx.skip(lineNo, e.message)
        else throw e
      }
    },
    parses,
    {
      startOffset: ctx.resumeFrom?.offset, startLine: ctx.resumeFrom?.lines, data: ctx.data, signal: ctx.signal, onProgress: ctx.progress, throttle: ctx.throttle,
      onTooLong: (lineNo, bytes) => ctx.skip(lineNo, tooLongReason(bytes)),
    },
  )
  // A dropped (or piped) file's scratch copy is never read again: the user has to give it again once it is complete.
  const again = inUpload(ctx.path) ? 'drop or pipe the file again once it is complete' : 'it is read again on the next import'
  if (result.incompleteTail) ctx.skip(result.lines + 1, `incomplete last line (no newline, not valid JSON); ${again}`)
  return { endOffset: result.endOffset, lines: result.lines }
}
