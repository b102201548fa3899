import type { Store } from '../store/open'
import type { PrevFile } from './file-reader'
import type { ContentPolicy } from './records'
import type { Candidate } from './walk'

/** Above this many files, what the store knows about files is read in one query rather than one per file. */
const BULK_LOOKUP_FROM = 256

type KnownFile = Pick<PrevFile, 'size' | 'mtime_ms' | 'content_policy'>

/** What the store knows of each candidate file, and the runs each one fed. */
export function knownFiles(store: Store, candidates: Candidate[]) {
  const db = store.write
  const bulk = candidates.length >= BULK_LOOKUP_FROM
  let all: Map<string, KnownFile> | null = null
  if (bulk) {
    // Answered from the covering index imported_files_state (migration 0005), not the rows.
    all = new Map()
    for (const [path, size, mtime, policy] of db.prepare('SELECT path, size, mtime_ms, content_policy FROM imported_files').raw().iterate() as Iterable<[string, number, number, ContentPolicy]>) {
      all.set(path, { size, mtime_ms: mtime, content_policy: policy })
    }
  }
  const one = db.prepare('SELECT size, mtime_ms, content_policy FROM imported_files WHERE path = ?')
  const full = db.prepare('SELECT size, offset, lines, resume, head_hash, tail_hash, mtime_ms, format, content_policy FROM imported_files WHERE path = ?')
  let runsByPath: Map<string, string[]> | null = null
  const runsOfFile = db.prepare('SELECT run_id FROM file_runs WHERE path = ?').pluck()
  return {
    light: (path: string) => (all ? all.get(path) : (one.get(path) as KnownFile | undefined)),
    full: (path: string) => (full.get(path) as PrevFile | undefined) ?? null,
    runs(path: string): string[] {
      if (!bulk) return runsOfFile.all(path) as string[]
      if (!runsByPath) {
        runsByPath = new Map()
        for (const r of db.prepare('SELECT path, run_id FROM file_runs').raw().iterate() as Iterable<[string, string]>) {
          const list = runsByPath.get(r[0])
          if (list) list.push(r[1])
          else runsByPath.set(r[0], [r[1]])
        }
      }
      return runsByPath.get(path) ?? []
    },
  }
}
