import { createHash } from 'node:crypto'
import type { Database } from 'better-sqlite3'
import { closeSync, openSync, statSync } from 'node:fs'
import type { FileJob } from './file-reader'
import { readAt } from './lines'
import type { Candidate } from './walk'

// Whether an append-only file (a transcript) only grew since the last import, or was rewritten:
// edited, truncated, or truncated and regrown past its old size. A grown file is read on from
// its last offset; a rewritten one cannot be, and upserting its lines again would keep the rows
// of lines that are gone and the first figures of lines that changed. Its runs are emptied
// and every file that fed them read again from its start, so the store ends as a fresh import.
//
// Two samples are compared: the first 4 KB (as before) and the last bytes read (up to 4 KB,
// the last line at least). An edit between them in a file of the same size is not seen.

export const HASHED_HEAD = 4096
const HASHED_TAIL = 4096

export const hashHead = (head: Buffer, length: number) => createHash('sha1').update(head.subarray(0, Math.min(length, HASHED_HEAD))).digest('hex')

/** `<length>:<sha1>` of the last bytes of `data` (the bytes read ending at the stored offset). */
export function hashTail(data: Buffer): string {
  const tail = data.subarray(Math.max(0, data.length - HASHED_TAIL))
  return `${tail.length}:${createHash('sha1').update(tail).digest('hex')}`
}

export interface Stored {
  size: number
  offset: number
  head_hash: string
  tail_hash: string | null
}

/**
 * The file's first bytes when it still holds what was read of it, at the same place (it can be
 * read on from `offset`; the reader takes the head from here rather than reading it again);
 * null when it was rewritten.
 */
export function continues(path: string, size: number, stored: Stored): Buffer | null {
  if (size < stored.offset) return null
  // One open for both samples: a tail's import checks every grown file of a busy swarm.
  const fd = openSync(path, 'r')
  try {
    const head = readAt(fd, 0, Math.min(size, HASHED_HEAD))
    if (hashHead(head, stored.size) !== stored.head_hash) return null
    if (!stored.tail_hash) return head
    const length = Number(stored.tail_hash.slice(0, stored.tail_hash.indexOf(':')))
    return hashTail(readAt(fd, stored.offset - length, stored.offset)) === stored.tail_hash ? head : null
  } finally {
    closeSync(fd)
  }
}

/**
 * Empties runs so their files can be read again whole: their spans, agents, events, samples,
 * stored text, cached reports and file links go; the run row (name, group, tags) stays.
 * Returns the files that fed them.
 */
export function emptyRuns(db: Database, runIds: Iterable<string>): string[] {
  const paths = new Set<string>()
  const filesOf = db.prepare('SELECT path FROM file_runs WHERE run_id = ?').pluck()
  const clear = ['spans', 'agents', 'events', 'metric_samples', 'span_content', 'file_runs'].map((t) => db.prepare(`DELETE FROM ${t} WHERE run_id = ?`))
  const reports = db.prepare('DELETE FROM report_cache WHERE key IN (SELECT key FROM report_cache_runs WHERE run_id = ?)')
  for (const id of runIds) {
    for (const p of filesOf.all(id) as string[]) paths.add(p)
    reports.run(id)
    for (const st of clear) st.run(id)
  }
  return [...paths]
}

/**
 * For files found rewritten: empties the runs they fed and queues every file of those runs to be
 * read from its start (`found` is changed in place: a job already there is replaced). Returns the
 * runs, the files queued, and the bytes to read this adds.
 */
export function planRereads(db: Database, rewritten: string[], found: FileJob[], candidates: Candidate[], runsOf: (path: string) => string[]) {
  const runs = new Set(rewritten.flatMap(runsOf))
  const at = new Map(found.map((j, i) => [j.path, i]))
  const given = new Map(candidates.map((c) => [c.path, c]))
  const queued: Candidate[] = []
  let bytes = 0
  for (const path of new Set([...rewritten, ...emptyRuns(db, runs)])) {
    const c = given.get(path) ?? statOf(path)
    if (!c) continue // gone: its share of the runs goes with it
    const job: FileJob = { ...c, prev: null, rereadAll: false }
    const i = at.get(path)
    if (i === undefined) found.push(job)
    else {
      bytes -= found[i].size - (found[i].prev?.offset ?? 0)
      found[i] = job
    }
    bytes += c.size
    queued.push(c)
  }
  return { runs, queued, bytes }
}

function statOf(path: string): Candidate | null {
  try {
    const st = statSync(path)
    return { path, explicit: false, size: st.size, mtimeMs: st.mtimeMs }
  } catch {
    return null
  }
}
