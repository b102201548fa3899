import { closeSync, openSync } from 'node:fs'
import { basename } from 'node:path'
import type { ContentPolicy, RecordSink } from './records'
import type { FormatImporter } from './formats'
import { HASHED_HEAD, hashHead, hashTail } from './continuity'
import { readAt, WHOLE_FILE_BELOW } from './lines'
import { ReadBuffers } from './read-buffers'
import { cannotRead } from './walk'
import { decodeUtf16, startsUtf16, UTF16_REASON } from './bom'

// Reading one input file into records, apart from the database: the same code runs in the
// importer's thread or in the parse worker (parse-worker.ts), which hands the records back.

const HEAD_BYTES = 64 * 1024
/**
 * A new file up to this size is read whole at once, its head being its first bytes: reading the
 * head and then the whole file read a typical 100 KB transcript's first 64 KB twice. Larger
 * files are sniffed from their head first: one of an unknown format would be read for nothing.
 */
const READ_WHOLE_UP_TO = 1024 * 1024

/** What the last import stored about a path (imported_files). */
export interface PrevFile {
  size: number
  offset: number
  lines: number
  resume: string
  head_hash: string
  tail_hash: string | null
  mtime_ms: number
  format: string
  content_policy: ContentPolicy
}

export interface FileJob {
  path: string
  size: number
  mtimeMs: number
  explicit: boolean
  prev: PrevFile | null
  /** Read from the beginning even if the file has only grown: more text is asked for than it was read with. */
  rereadAll: boolean
  /** The file's first bytes, when the importer read them to check that the file only grew (continuity.ts). */
  head?: Buffer
}

export type FileOutcome =
  | { kind: 'read'; format: string; endOffset: number; lines: number; resume: string; headHash: string; tailHash: string | null }
  /** No format recognised it, or it could not be opened; `reason` says why. */
  | { kind: 'unknown'; reason: string; why: 'empty' | 'binary' | 'unrecognised' | 'unreadable' }
  /** Not one of the formats this reader was given (the parse worker's are a subset): read it in the importer's thread. */
  | { kind: 'deferred' }

export interface ReadHooks {
  sink: RecordSink
  signal: AbortSignal
  skip(line: number | null, reason: string): void
  progress(bytesRead: number, lines: number): void
  /** Awaited between chunks of a streamed file, so a reader that runs ahead of the writer can wait. */
  throttle?: () => Promise<void> | void
}


/**
 * Sniffs and reads one file. It is opened once: the head (for sniffing and the resume check)
 * and then only the bytes not read before (a grown transcript from its last offset), so a
 * re-import of a folder where a few files grew reads a few kilobytes, not the folder.
 */
export async function readFileJob(job: FileJob, formats: readonly FormatImporter[], hooks: ReadHooks, deferUnknown = false): Promise<FileOutcome> {
  const scratch = { buffer: null as Buffer | null }
  try {
    return await readFile(job, formats, hooks, deferUnknown, scratch)
  } finally {
    // Given back only once nothing reads the bytes any more (records hold strings, not views).
    if (scratch.buffer) readBuffers.give(scratch.buffer)
  }
}

/** Whole files and new bytes are read into reused buffers (read-buffers.ts), one pool per thread. */
const readBuffers = new ReadBuffers()

async function readFile(job: FileJob, formats: readonly FormatImporter[], hooks: ReadHooks, deferUnknown: boolean, scratch: { buffer: Buffer | null }): Promise<FileOutcome> {
  const { path, size, prev } = job
  /** The bytes [start, end) of the open file, into a pooled buffer (one per read of this file). */
  const readPooled = (fd: number, start: number, end: number) => readAt(fd, start, end, (scratch.buffer = readBuffers.take(end - start)))
  const name = basename(path)
  let head: Buffer = Buffer.alloc(0)
  let format: FormatImporter | undefined
  let data: Buffer | undefined
  let resumeFrom = null
  let from = 0
  /** The head matched the last import's (checked once: by the importer when it sent `job.head`). */
  let headMatches = false
  let fd: number | null = null
  try {
    fd = size > 0 ? openSync(path, 'r') : null
  } catch (e) {
    // No permission, or gone since the walk: one skipped file, not the end of the import.
    return { kind: 'unknown', reason: cannotRead(e), why: 'unreadable' }
  }
  try {
    // A grown append-only file whose first bytes are unchanged keeps its format: only those bytes
    // are read to check, not the whole head (a re-import touches every file that grew).
    const known = prev && !job.rereadAll && size >= prev.size ? formats.find((f) => f.appendOnly && f.format === prev.format) : undefined
    if (known && fd !== null) {
      // A head sent to the parse worker arrives as a plain Uint8Array: viewed as a Buffer again.
      head = job.head ? Buffer.from(job.head.buffer, job.head.byteOffset, job.head.byteLength) : readAt(fd, 0, Math.min(size, HASHED_HEAD))
      headMatches = job.head !== undefined || hashHead(head, prev!.size) === prev!.head_hash
      if (headMatches) format = known
    }
    if (!format) {
      if (fd !== null && !prev && size <= READ_WHOLE_UP_TO) {
        data = readPooled(fd, 0, size)
        head = data.subarray(0, Math.min(data.length, HEAD_BYTES))
      } else if (fd !== null) head = readAt(fd, 0, Math.min(size, HEAD_BYTES))
      // A JSON file saved as UTF-16 (an OTLP request written by PowerShell's `>`) is sniffed and
      // read decoded (readJsonDocument); a line format's file is refused below.
      const sniffed = startsUtf16(head) ? Buffer.from(decodeUtf16(head)) : head
      try {
        format = formats.find((f) => f.sniff({ path, name, size, head: sniffed }))
      } catch (e) {
        // A sniffer that reads a companion file (a -wal's database) met one it may not read.
        if (typeof (e as NodeJS.ErrnoException).code !== 'string') throw e
        return { kind: 'unknown', reason: cannotRead(e), why: 'unreadable' }
      }
    }
    const utf16 = startsUtf16(head)
    if (!format) {
      if (deferUnknown) return { kind: 'deferred' }
      const why = size === 0 ? 'empty' : head.includes(0) ? 'binary' : 'unrecognised'
      const reason =
        why === 'empty' ? 'empty file'
        : utf16 ? UTF16_REASON
        : why === 'binary' ? 'binary file of an unknown format'
        : 'unknown format (not a Claude Code transcript, claude-flow file, OTLP JSON or Swarmscope NDJSON)'
      return { kind: 'unknown', reason, why }
    }
    if (format.appendOnly && utf16) return { kind: 'unknown', reason: UTF16_REASON, why: 'binary' }
    // Grown with the same beginning: read on from where the last import stopped.
    const sameHead = prev && prev.format === format.format && size >= prev.size && (headMatches || hashHead(head, prev.size) === prev.head_hash)
    if (sameHead && !job.rereadAll && format.appendOnly) resumeFrom = { ...prev, resume: JSON.parse(prev.resume) as Record<string, unknown> }
    from = resumeFrom?.offset ?? 0
    // Line-oriented formats take the bytes read here; a large file is streamed by the format instead.
    if (data && (from !== 0 || !format.appendOnly)) data = undefined
    else if (!data && fd !== null && format.appendOnly && size - from <= WHOLE_FILE_BELOW) data = from === 0 && size <= head.length ? head : readPooled(fd, from, size)
  } finally {
    if (fd !== null) closeSync(fd)
  }
  const res = await format.importFile({
    path, size, sink: hooks.sink, resumeFrom, signal: hooks.signal, data,
    skip: hooks.skip, progress: hooks.progress, throttle: hooks.throttle,
  })
  // The last bytes read, for the next import's check that the file only grew; unknown when the
  // file was streamed (over 8 MB of new bytes) or read by a format that is not append-only.
  const read = data && format.appendOnly ? data.subarray(0, res.endOffset - from) : null
  const tailHash = read && read.length > 0 ? hashTail(read) : null
  return { kind: 'read', format: format.format, endOffset: res.endOffset, lines: res.lines, resume: JSON.stringify(res.resume ?? {}), headHash: hashHead(head, res.endOffset), tailHash }
}
