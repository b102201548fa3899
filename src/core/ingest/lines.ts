import { isAscii } from 'node:buffer'
import { closeSync, createReadStream, openSync, readSync } from 'node:fs'
import { CoreError } from '../../shared/result'
import { utf8BomLength, withoutBom } from './bom'

export interface LineReadResult {
  /** Byte offset just past the last complete line: where a later import of the grown file resumes. */
  endOffset: number
  lines: number
  /** A last line without a newline that `isComplete` rejected: not consumed, read again next time. */
  incompleteTail: boolean
}

export interface LineReadOptions {
  startOffset?: number
  /** Numbering continues from here when resuming. */
  startLine?: number
  /** Small files are read whole: opening a stream per small file costs more than parsing it (PERF-NOTES). */
  wholeFileBelow?: number
  /** The bytes from `startOffset` to the end, when the caller has read them already (one read per file). */
  data?: Buffer
  signal?: AbortSignal
  onProgress?: (bytesRead: number, lines: number) => void
  /** Awaited after each chunk of a streamed file. */
  throttle?: () => Promise<void> | void
  /**
   * A streamed line longer than `maxLineBytes` (checked as chunks without a newline come, so
   * give or take two chunks) is passed over, not held: told here (its number and length) once
   * its newline comes. Without it, lines of any length are read.
   */
  onTooLong?: (lineNo: number, bytes: number) => void
  maxLineBytes?: number
  /** Bytes read at a time when streaming (tests use small ones to cross chunk edges). */
  chunkBytes?: number
}

/**
 * Longer than any line Claude Code can write for a message (the API takes requests of at most
 * 32 MB): a line past this is damage, and holding it would take several times its size (a 200 MB
 * line took 1.1 GB RSS, and 140 s while it was gathered by copying it whole at every chunk).
 */
export const MAX_LINE_BYTES = 64 * 1024 * 1024

/** The skipped list's reason for a line passed over (onTooLong). */
export const tooLongReason = (bytes: number) => `a line of ${Math.round(bytes / 1024 / 1024)} MB, longer than the ${MAX_LINE_BYTES / 1024 / 1024} MB a line may have: passed over, not read`

const NEWLINE = 0x0a

/**
 * How to decode a buffer of lines: bytes that are all ASCII read the same as latin1, which is a
 * plain copy, while UTF-8 decoding validates and transcodes (twice the time on the bench corpus,
 * ~0.1 s of CPU per GB). One check per buffer (SIMD, ~2% of the decoding) decides.
 */
const textEncoding = (buf: Buffer): BufferEncoding => (isAscii(buf) ? 'latin1' : 'utf8')
export const WHOLE_FILE_BELOW = 8 * 1024 * 1024

/**
 * Bytes [start, end) of an open file; fewer if it shrank meanwhile (what is there is what is
 * read). Read into `into` when given (at least end - start long): the result is a view of it.
 */
export function readAt(fd: number, start: number, end: number, into?: Buffer): Buffer {
  const length = Math.max(0, end - start)
  const buf = into ?? Buffer.allocUnsafe(length)
  let got = 0
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, start + got)
    if (n === 0) break
    got += n
  }
  return buf.subarray(0, got)
}

/** Bytes [start, end) of a file: a grown transcript is read from where the last import stopped, not from its beginning. */
export function readRange(path: string, start: number, end: number): Buffer {
  const fd = openSync(path, 'r')
  try {
    return readAt(fd, start, end)
  } finally {
    closeSync(fd)
  }
}

/**
 * Bytes to pass over at `start` before the first line: the newline of a line read last time
 * (endsLastLine), or a UTF-8 byte order mark at the start of the file (bom.ts), which only the
 * first line can have. Checked once per read, not per line.
 */
function skipAtStart(path: string, start: number, buf: Buffer): number {
  if (start === 0) return utf8BomLength(buf)
  return endsLastLine(path, start, buf) ? 1 : 0
}

/**
 * Whether the newline at `start` ends a line an earlier import already read: a last line that
 * parsed whole was taken without its newline, so when the newline comes it is not a line of its
 * own (counting it as an empty one put every later line number one too high). Only looked at
 * when a resumed read begins with a newline.
 */
function endsLastLine(path: string, start: number, buf: Buffer): boolean {
  if (start === 0 || buf.length === 0 || buf[0] !== NEWLINE) return false
  const before = readRange(path, start - 1, start)
  return before.length === 1 && before[0] !== NEWLINE
}

/**
 * Calls `onLine` for every complete line (text, 1-based line number). A last line without a
 * newline is treated as complete only when `isComplete` accepts it: a transcript being written
 * ends with half a line that a later import must read whole.
 */
export async function readLines(
  path: string,
  size: number,
  onLine: (text: string, lineNo: number) => void,
  isComplete: (lastLine: string) => boolean,
  opts: LineReadOptions = {},
): Promise<LineReadResult> {
  const start = opts.startOffset ?? 0
  let lineNo = opts.startLine ?? 0
  let consumed = start
  let incompleteTail = false
  const emitTail = (tail: Buffer) => {
    if (tail.length === 0) return
    const text = lineNo === 0 ? withoutBom(tail.toString('utf8')) : tail.toString('utf8')
    if (isComplete(text)) {
      onLine(text, ++lineNo)
      consumed += tail.length
    } else incompleteTail = true
  }

  if (opts.data || size - start <= (opts.wholeFileBelow ?? WHOLE_FILE_BELOW)) {
    const buf = opts.data ?? readRange(path, start, size)
    const encoding = textEncoding(buf)
    let from = skipAtStart(path, start, buf)
    consumed += from
    for (let i = buf.indexOf(NEWLINE, from); i !== -1; i = buf.indexOf(NEWLINE, from)) {
      onLine(buf.toString(encoding, from, i), ++lineNo)
      consumed += i + 1 - from
      from = i + 1
    }
    emitTail(buf.subarray(from))
    opts.onProgress?.(consumed, lineNo)
    return { endOffset: consumed, lines: lineNo, incompleteTail }
  }

  // Large file: stream in chunks and keep only the unfinished line between chunks, so memory
  // stays constant whatever the file size. The unfinished line is kept in pieces and joined once
  // its newline comes (joining at every chunk copied a long line over and over).
  const maxLine = opts.onTooLong ? (opts.maxLineBytes ?? MAX_LINE_BYTES) : Infinity
  let pieces: Buffer[] = []
  let piecesBytes = 0
  /** Bytes so far of a line too long to keep, being passed over; null when there is none. */
  let passing: number | null = null
  const stream = createReadStream(path, { start, highWaterMark: opts.chunkBytes ?? 1024 * 1024 })
  let sinceProgress = 0
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (opts.signal?.aborted) {
      stream.destroy()
      throw new CoreError('cancelled', 'import cancelled')
    }
    const nl = chunk.indexOf(NEWLINE)
    if (nl === -1) {
      if (passing !== null) passing += chunk.length
      else if (piecesBytes + chunk.length > maxLine) {
        passing = piecesBytes + chunk.length
        pieces = []
        piecesBytes = 0
      } else {
        pieces.push(chunk)
        piecesBytes += chunk.length
      }
    } else {
      let buf = chunk
      let from = 0
      if (passing !== null) {
        opts.onTooLong?.(++lineNo, passing + nl)
        consumed += passing + nl + 1
        passing = null
        from = nl + 1
      } else {
        if (pieces.length) buf = Buffer.concat([...pieces, chunk])
        pieces = []
        piecesBytes = 0
        from = consumed === start ? skipAtStart(path, start, buf) : 0
        consumed += from
      }
      const encoding = textEncoding(buf)
      for (let i = buf.indexOf(NEWLINE, from); i !== -1; i = buf.indexOf(NEWLINE, from)) {
        onLine(buf.toString(encoding, from, i), ++lineNo)
        consumed += i + 1 - from
        from = i + 1
      }
      if (from < buf.length) {
        pieces = [Buffer.from(buf.subarray(from))]
        piecesBytes = buf.length - from
      }
    }
    await opts.throttle?.()
    sinceProgress += chunk.length
    if (sinceProgress >= 4 * 1024 * 1024) {
      sinceProgress = 0
      opts.onProgress?.(consumed, lineNo)
    }
  }
  // A last line too long to keep and not ended yet: left for a later import, like any unfinished one.
  if (passing !== null) incompleteTail = true
  emitTail(pieces.length === 1 ? pieces[0] : Buffer.concat(pieces))
  opts.onProgress?.(consumed, lineNo)
  return { endOffset: consumed, lines: lineNo, incompleteTail }
}
