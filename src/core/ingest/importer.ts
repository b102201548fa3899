import { statSync } from 'node:fs'
import type { ImportProgress, SkippedInput } from '../../shared/dto'
import { CoreError } from '../../shared/result'
import type { RedactionRule } from '../privacy/redact'
import { WRITE_CACHE_BYTES, type Store } from '../store/open'
import { runStatsTracker } from '../store/run-stats-delta'
import { reserveGuard } from '../store/disk-reserve'
import { explainStoreError, releaseSpaceAfter } from '../store/store-errors'
import { beginWrite } from '../store/write-lock'
import { continues, planRereads } from './continuity'
import { readFileJob, type FileJob, type FileOutcome } from './file-reader'
import { groupNewRuns } from './grouping'
import { knownFiles } from './known-files'
import { inUpload } from './upload-place'
import { failedToStart, parseStreamStarter, type WorkerMode } from './parse-pool'
import { decode } from './record-stream'
import { Replay } from './replay'
import { summariesAsWritten, writeOrder } from './job-order'
import { skipList } from './skip-list'
import { formats } from './registry'
import { cannotRead, walk, type Candidate } from './walk'
import type { ContentPolicy } from './records'
import { createWriter, policyRank } from './writer'

export interface ImportOptions {
  paths: string[]
  group?: string
  tags?: Record<string, string>
  /** What text to keep: 'none' (default), 'redacted' or 'full' (see README, "What Swarmscope stores"). */
  contentPolicy?: ContentPolicy
  /** Redaction rules applied after the built-in ones, to kept metadata and to text under 'redacted'. */
  redactRules?: readonly RedactionRule[]
  signal?: AbortSignal
  onProgress?: (p: Omit<ImportProgress, 'importId'>) => void
  /** Parse in a worker thread: 'auto' (default) for large imports when the bundled worker is there. */
  worker?: WorkerMode
  /** With a worker, this thread also parses small files while it has nothing to write (default true; tests turn it off to see the worker's parsing alone). */
  parseAhead?: boolean
  /** Spans of one grown run whose earlier figures are kept for its summary (run-stats-delta.ts); tests lower it. */
  maxTrackedSpans?: number
}

export interface ImportOutcome {
  runIds: string[]
  skipped: SkippedInput[]
  files: number
  /** Files not read because they had not changed since the last import (their skipped lines were listed then). */
  unchanged: number
  /** Runs already stored before this import, which keep their group and tags (grouping.ts); empty without a group or tags. */
  kept: string[]
}

/**
 * Files found in a folder that no format reads are passed over without a word (a project folder
 * holds source code, package.json, and JSON lines of other tools, such as claude-flow's recorded
 * MCP exchanges), except a `.jsonl`/`.ndjson` that is empty or binary: a run log that lost its
 * content. A file named on the command line is always listed.
 */
const LOG_FILE = /\.(jsonl|ndjson)$/i

/** Formats read on from where the last import stopped (Claude Code transcripts, NDJSON). */
const APPEND_ONLY = new Set(formats.filter((f) => f.appendOnly).map((f) => f.format))

const RANK: Record<ContentPolicy, number> = { none: 0, redacted: 1, full: 2 }
const cancelled = () => new CoreError('cancelled', 'import cancelled')

/**
 * Imports files and folders in one write transaction: the runs they touch appear whole or
 * not at all, and a cancelled or failed import leaves the store as it was. Bad lines are
 * listed in `skipped` with file and line, and the good lines around them still import.
 *
 * Files unchanged since the last import (same size and mtime) are not opened. Large imports
 * are parsed in a worker thread while this thread writes, and parses small files ahead when
 * it has nothing to write (parse-pool.ts, replay.ts); the records take the same path into the
 * writer either way, in file order.
 */
export async function importPaths(store: Store, opts: ImportOptions): Promise<ImportOutcome> {
  const db = store.write
  // Stops the import while the store's disk still has its reserve free (asked at every step, looks every 100 ms).
  // Made first: a reserve set wrongly is refused before a worker starts.
  const reserve = reserveGuard(store.path, { unwritten: WRITE_CACHE_BYTES, countWal: true })
  const skipped: SkippedInput[] = []
  const signal = opts.signal ?? new AbortController().signal
  const policy: ContentPolicy = opts.contentPolicy ?? 'none'
  const stats = runStatsTracker(store, { maxTrackedSpans: opts.maxTrackedSpans })
  const { sink, exec, touched, startFile, prices } = createWriter(db, { contentPolicy: policy, now: Date.now, redactRules: opts.redactRules, follow: stats.follower })
  const init = { contentPolicy: policy, redactRules: opts.redactRules ?? [], prices }
  const starter = parseStreamStarter({ mode: opts.worker ?? 'auto', init, early: likelyLarge(opts.paths) })
  let candidates: Candidate[]
  try {
    candidates = walk(opts.paths, skipped)
  } catch (e) {
    await starter.dispose()
    throw e
  }
  // A tail hash is kept while the offset stays put (nothing new was read): it still describes the bytes before it.
  // The policy is the one new bytes were last read under: lines read under 'none' have no text,
  // so a file read on under 'none' after a 'full' import is read again whole by the next 'full'
  // one. With nothing new read, the more open of the two stands.
  const putFile = db.prepare(`INSERT INTO imported_files (path, format, size, mtime_ms, head_hash, offset, lines, resume, imported_at, content_policy, tail_hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(path) DO UPDATE SET format = excluded.format, size = excluded.size, mtime_ms = excluded.mtime_ms,
      head_hash = excluded.head_hash, offset = excluded.offset, lines = excluded.lines, resume = excluded.resume, imported_at = excluded.imported_at,
      tail_hash = COALESCE(excluded.tail_hash, CASE WHEN excluded.offset = imported_files.offset THEN imported_files.tail_hash END),
      content_policy = CASE WHEN excluded.offset <> imported_files.offset THEN excluded.content_policy
                            WHEN ${policyRank('excluded.content_policy')} > ${policyRank('imported_files.content_policy')}
                            THEN excluded.content_policy ELSE imported_files.content_policy END`)
  const putFileRun = db.prepare('INSERT OR IGNORE INTO file_runs (path, run_id) VALUES (?, ?)')
  const unchangedRuns = new Set<string>()
  const rewritten: string[] = []
  /** Empties the runs of rewritten files and queues every file that fed them, to be read from its start; returns the bytes added. */
  const rereadWhole = (paths: string[], found: FileJob[], candidates: Candidate[], known: ReturnType<typeof knownFiles>): number => {
    const plan = planRereads(db, paths, found, candidates, (p) => known.runs(p))
    for (const id of plan.runs) {
      stats.forget(id)
      rebuilt.add(id)
    }
    for (const c of plan.queued) {
      if (!unchangedPaths.delete(c.path)) continue
      // Counted as done unread above; it is read now.
      bytesBefore -= c.size
      filesDone--
      imported--
    }
    return plan.bytes
  }
  const rebuilt = new Set<string>()
  const unchangedPaths = new Set<string>()
  const totalBytes = candidates.reduce((n, c) => n + c.size, 0)
  let bytesBefore = 0
  /** Lines of the files read to their end; the file being read adds its own so far. */
  let linesBefore = 0
  let filesDone = 0
  let lastProgress = 0
  const report = (file: string, bytes: number, lines: number, done = false, runs = touched.size) => {
    if (!done) reserve.check()
    const now = Date.now()
    if (!done && now - lastProgress < 100) return
    lastProgress = now
    opts.onProgress?.({ file, bytesRead: bytesBefore + bytes, totalBytes, lines: linesBefore + lines, runs, filesDone, filesTotal: candidates.length, done })
  }

  let imported = 0
  let runsBefore: number
  try {
    // Another process writing to the store (the app tailing, another import) is waited for,
    // with the wait shown as progress and cancellable (write-lock.ts).
    await beginWrite(db, {
      signal,
      onWait: (ms) => opts.onProgress?.({ file: '', bytesRead: 0, totalBytes, lines: 0, runs: 0, filesDone: 0, filesTotal: candidates.length, done: false, waitingMs: Math.round(ms) }),
    })
    // Runs get rowids above this one from here on (runs has no AUTOINCREMENT, so new rowids are MAX + 1): the runs this import adds.
    runsBefore = db.prepare('SELECT COALESCE(MAX(rowid), 0) FROM runs').pluck().get() as number
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK')
    await starter.dispose()
    throw explainStoreError(e, store.path, 'nothing of this import was stored') ?? e
  }
  let stream = null
  try {
    const known = knownFiles(store, candidates)
    const found: FileJob[] = []
    let bytesToRead = 0
    for (const c of candidates) {
      const seen = known.light(c.path)
      // The walk came before the write lock was ours: another process (the app's tail) may have
      // imported this file further meanwhile, past the size walked. Going by that size, the file
      // looked truncated, and its session was emptied and read again only up to it.
      if (seen && c.size < seen.size) restat(c)
      // Asking for more text than the file was read with: read it again from its start (the upserts make that safe).
      const rereadAll = seen !== undefined && RANK[policy] > (RANK[seen.content_policy] ?? 0)
      if (seen && !rereadAll && c.size === seen.size && c.mtimeMs === seen.mtime_ms) {
        // Unchanged since the last import: no read.
        for (const runId of known.runs(c.path)) unchangedRuns.add(runId)
        unchangedPaths.add(c.path)
        bytesBefore += c.size
        filesDone++
        imported++
        continue
      }
      const prev = seen ? known.full(c.path) : null
      // A transcript that did not only grow (rewritten, truncated) is read again whole, with the
      // other files of its runs, once those runs are emptied (continuity.ts).
      let head: Buffer | null | undefined
      try {
        head = prev && !rereadAll && APPEND_ONLY.has(prev.format) ? continues(c.path, c.size, prev) : undefined
      } catch (e) {
        // Unreadable now (permissions changed): what the file fed stays stored as it was, and
        // the answer does not name its runs as if they had been read.
        skipped.push({ file: c.path, line: null, reason: cannotRead(e) })
        continue
      }
      if (head === null) {
        rewritten.push(c.path)
        continue
      }
      found.push({ ...c, prev, rereadAll, head })
      bytesToRead += c.size - (prev && !rereadAll && c.size >= prev.offset ? prev.offset : 0)
    }
    if (rewritten.length > 0) bytesToRead += rereadWhole(rewritten, found, candidates, known)
    // Refused before anything is read when the disk is already at its reserve; an import with nothing new to read goes on.
    if (bytesToRead > 0) reserve.check(true)
    const jobs = writeOrder(found)

    const skips = skipList(skipped)
    const hooks = (job: FileJob) => ({
      sink, signal,
      skip: (line: number | null, reason: string) => skips.line(job.path, line, reason),
      progress: (bytes: number, lines: number) => report(job.path, bytes, lines),
    })
    const summaries = summariesAsWritten(stats)
    const finish = (job: FileJob, outcome: FileOutcome) => {
      skips.fileDone(job.path)
      if (outcome.kind === 'read') {
        imported++
        // An upload's scratch copy is not remembered: no later import finds it there (upload-place.ts).
        const remember = !inUpload(job.path)
        if (remember) putFile.run(job.path, outcome.format, outcome.endOffset, job.mtimeMs, outcome.headHash, outcome.endOffset, outcome.lines, outcome.resume, Date.now(), policy, outcome.tailHash)
        const fed = startFile()
        if (remember) for (const runId of fed) putFileRun.run(job.path, runId)
        // A grown file whose new lines were all refused fed nothing this time: its runs are
        // still the file's, and the answer names them as it does for an unchanged file.
        if (fed.size === 0 && job.prev) for (const runId of known.runs(job.path)) unchangedRuns.add(runId)
        summaries.fileWritten(job.path, fed)
        linesBefore += outcome.lines
      } else if (outcome.kind === 'unknown' && (job.explicit || outcome.why === 'unreadable' || (LOG_FILE.test(job.path) && outcome.why !== 'unrecognised'))) {
        skipped.push({ file: job.path, line: null, reason: outcome.reason })
      }
      // Every file looked at is done, read or not: the count ends at the total.
      filesDone++
      bytesBefore += job.size
      report(job.path, 0, 0)
    }

    stream = starter.open(jobs, bytesToRead)
    startFile()
    const replay = new Replay(jobs, {
      write: (op, strings) => void exec(decode(op, strings)),
      skip: (job, line, reason) => skips.line(job.path, line, reason),
      progress: (job, bytes, lines) => report(job.path, bytes, lines),
      done: async (job, outcome) => finish(job, outcome.kind === 'deferred' ? await readFileJob(job, formats, hooks(job)) : outcome),
      checkCancelled: () => {
        if (signal.aborted) throw cancelled()
      },
    }, init, opts.parseAhead ?? true)
    if (stream) {
      try {
        // The worker parses ahead (and this thread too, when it has nothing to write); files are written in order.
        await replay.run(stream)
      } catch (e) {
        if (!failedToStart(e)) throw e
      }
      // Ended now, not after the COMMIT: its heap (~60 MB at 1 GB) is no use to the run stats and the COMMIT.
      await stream.close()
      stream = null
    }
    // Without a worker, or one that never started: the rest is read here (what was parsed ahead first).
    for (let job = jobs[replay.next]; replay.next < jobs.length; job = jobs[replay.next]) {
      if (signal.aborted) throw cancelled()
      if (await replay.writeOwn()) continue
      finish(job, await readFileJob(job, formats, hooks(job)))
      replay.next++
    }
    if (signal.aborted) throw cancelled()
    if (imported === 0 && skipped.length === 0) skipped.push({ file: opts.paths.join(', '), line: null, reason: 'no supported files found' })
    // A run emptied for a rewritten file that nothing fed again is summed up too (to nothing).
    for (const id of rebuilt) touched.add(id)
    summaries.end(touched)
    const runIds = [...new Set([...touched, ...unchangedRuns])]
    const kept = groupNewRuns(db, runsBefore, runIds, opts.group, opts.tags)
    db.exec('COMMIT')
    report('', 0, 0, true, runIds.length)
    return { runIds, skipped, files: imported, unchanged: unchangedPaths.size, kept }
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK')
    releaseSpaceAfter(db, e)
    throw explainStoreError(e, store.path, 'nothing of this import was stored') ?? e
  } finally {
    await stream?.close()
    await starter.dispose()
  }
}

/** The candidate's size and mtime as they are now (left as walked if it cannot be statted: reading it then says why). */
function restat(c: Candidate): void {
  try {
    const st = statSync(c.path)
    c.size = st.size
    c.mtimeMs = st.mtimeMs
  } catch {
    // Reported when it is read.
  }
}

/**
 * Whether an import may be large enough for the parse worker before its folders are walked: it
 * names a folder. Named files are decided after the lookup, on the bytes still unread: a tail's
 * import of 1,500 grown transcripts names ~400 MB of files but reads ~10 MB of new lines, and a
 * worker booted for it (~100-150 ms of CPU compiling its bundle, then ended unused) only took a
 * core from the import and from whoever was writing those lines. A path named like a file we
 * read is not even looked at (the walk stats it anyway); a folder so named only starts the
 * worker after the walk.
 */
function likelyLarge(paths: string[]): boolean {
  for (const p of paths) {
    if (/\.(jsonl|ndjson|json|db|db-wal)$/i.test(p)) continue
    try {
      if (statSync(p).isDirectory()) return true
    } catch {
      // Reported by the walk.
    }
  }
  return false
}
