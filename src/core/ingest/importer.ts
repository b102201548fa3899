import { createHash } from 'node:crypto'
import { closeSync, openSync, readSync, readdirSync, statSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import type { ImportProgress, SkippedInput } from '../../shared/dto'
import { CoreError } from '../../shared/result'
import type { RedactionRule } from '../privacy/redact'
import type { Store } from '../store/open'
import { refreshRunStats } from '../store/run-stats'
import type { FormatImporter, PreviousImport } from './formats'
import { formats } from './registry'
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
}

export interface ImportOutcome {
  runIds: string[]
  skipped: SkippedInput[]
  files: number
}

const HEAD_BYTES = 64 * 1024
const HASHED_HEAD = 4096
const SKIPPED_DIRS = new Set(['node_modules', '.git'])

interface Candidate {
  path: string
  explicit: boolean
  size: number
  mtimeMs: number
}

function walk(paths: string[], skipped: SkippedInput[]): Candidate[] {
  const out: Candidate[] = []
  const visit = (p: string, explicit: boolean) => {
    let st
    try {
      st = statSync(p)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      const why = code === 'ENOENT' ? 'no such file or folder' : code === 'EACCES' ? 'permission denied' : (e as Error).message
      skipped.push({ file: p, line: null, reason: `cannot read: ${why}` })
      return
    }
    if (st.isDirectory()) {
      for (const entry of readdirSync(p).sort()) if (!SKIPPED_DIRS.has(entry)) visit(join(p, entry), false)
    } else if (st.isFile()) out.push({ path: p, explicit, size: st.size, mtimeMs: st.mtimeMs })
  }
  for (const p of paths) visit(resolve(p), true)
  return out
}

function readHead(path: string, size: number): Buffer {
  const fd = openSync(path, 'r')
  try {
    const buf = Buffer.alloc(Math.min(size, HEAD_BYTES))
    readSync(fd, buf, 0, buf.length, 0)
    return buf
  } finally {
    closeSync(fd)
  }
}

const hashHead = (head: Buffer, length: number) => createHash('sha1').update(head.subarray(0, Math.min(length, HASHED_HEAD))).digest('hex')

interface FileRow extends PreviousImport {
  head_hash: string
  mtime_ms: number
  format: string
  content_policy: ContentPolicy
}

const RANK: Record<ContentPolicy, number> = { none: 0, redacted: 1, full: 2 }

/**
 * Imports files and folders in one write transaction: the runs they touch appear whole or
 * not at all, and a cancelled or failed import leaves the store as it was. Bad lines are
 * listed in `skipped` with file and line, and the good lines around them still import.
 */
export async function importPaths(store: Store, opts: ImportOptions): Promise<ImportOutcome> {
  const db = store.write
  const skipped: SkippedInput[] = []
  const candidates = walk(opts.paths, skipped)
  const signal = opts.signal ?? new AbortController().signal
  const policy: ContentPolicy = opts.contentPolicy ?? 'none'
  const { sink, touched, startFile } = createWriter(db, { contentPolicy: policy, now: Date.now, redactRules: opts.redactRules })
  const getFile = db.prepare('SELECT size, offset, lines, resume, head_hash, mtime_ms, format, content_policy FROM imported_files WHERE path = ?')
  const putFile = db.prepare(`INSERT INTO imported_files (path, format, size, mtime_ms, head_hash, offset, lines, resume, imported_at, content_policy)
    VALUES (@path, @format, @size, @mtime, @hash, @offset, @lines, @resume, @now, @policy)
    ON CONFLICT(path) DO UPDATE SET format = excluded.format, size = excluded.size, mtime_ms = excluded.mtime_ms,
      head_hash = excluded.head_hash, offset = excluded.offset, lines = excluded.lines, resume = excluded.resume, imported_at = excluded.imported_at,
      content_policy = CASE WHEN ${policyRank('excluded.content_policy')} > ${policyRank('imported_files.content_policy')}
                            THEN excluded.content_policy ELSE imported_files.content_policy END`)
  const runsOfFile = db.prepare('SELECT run_id FROM file_runs WHERE path = ?')
  const unchangedRuns = new Set<string>()
  const putFileRun = db.prepare('INSERT OR IGNORE INTO file_runs (path, run_id) VALUES (?, ?)')
  const totalBytes = candidates.reduce((n, c) => n + c.size, 0)
  let bytesBefore = 0
  let filesDone = 0
  let lastProgress = 0
  const report = (file: string, bytes: number, lines: number, done = false) => {
    const now = Date.now()
    if (!done && now - lastProgress < 100) return
    lastProgress = now
    opts.onProgress?.({ file, bytesRead: bytesBefore + bytes, totalBytes, lines, filesDone, filesTotal: candidates.length, done })
  }

  let imported = 0
  db.exec('BEGIN IMMEDIATE')
  try {
    for (const c of candidates) {
      if (signal.aborted) throw new CoreError('cancelled', 'import cancelled')
      const st = c
      const name = basename(c.path)
      const prev = getFile.get(c.path) as (FileRow & { resume: string }) | undefined
      // Asking for more text than the file was read with: read it again from its start (the upserts make that safe).
      const morePermissive = prev !== undefined && RANK[policy] > (RANK[prev.content_policy] ?? 0)
      if (prev && !morePermissive && st.size === prev.size && st.mtimeMs === prev.mtime_ms) {
        // Unchanged since the last import: one row lookup, no read.
        for (const { run_id } of runsOfFile.all(c.path) as { run_id: string }[]) unchangedRuns.add(run_id)
        bytesBefore += st.size
        filesDone++
        imported++
        continue
      }
      const head = st.size > 0 ? readHead(c.path, st.size) : Buffer.alloc(0)
      const format: FormatImporter | undefined = formats.find((f) => f.sniff({ path: c.path, name, size: st.size, head }))
      if (!format) {
        if (c.explicit) {
          const reason = st.size === 0 ? 'empty file' : head.includes(0) ? 'binary file of an unknown format' : 'unknown format (not a Claude Code transcript)'
          skipped.push({ file: c.path, line: null, reason })
        }
        bytesBefore += st.size
        continue
      }
      imported++
      // Grown with the same beginning: read on from where the last import stopped.
      const sameHead = prev && prev.format === format.format && st.size >= prev.size && hashHead(head, prev.size) === prev.head_hash
      const fileRuns = startFile()
      const resumeFrom = sameHead && !morePermissive && format.appendOnly ? { ...prev, resume: JSON.parse(prev.resume) as Record<string, unknown> } : null
      const res = await format.importFile({
        path: c.path,
        size: st.size,
        sink,
        resumeFrom,
        signal,
        skip: (line, reason) => skipped.push({ file: c.path, line, reason }),
        progress: (bytes, lines) => report(c.path, bytes, lines),
      })
      putFile.run({
        path: c.path, format: format.format, size: res.endOffset, mtime: st.mtimeMs, hash: hashHead(head, res.endOffset),
        offset: res.endOffset, lines: res.lines, resume: JSON.stringify(res.resume ?? {}), now: Date.now(), policy,
      })
      for (const runId of fileRuns) putFileRun.run(c.path, runId)
      bytesBefore += st.size
      filesDone++
      report(c.path, 0, res.lines)
    }
    if (imported === 0 && skipped.length === 0) skipped.push({ file: opts.paths.join(', '), line: null, reason: 'no supported files found' })
    for (const id of touched) refreshRunStats(db, id)
    const runIds = [...new Set([...touched, ...unchangedRuns])]
    const grouping = groupingStatements(store)
    for (const id of runIds) grouping(id, opts.group, opts.tags)
    db.exec('COMMIT')
    report('', 0, 0, true)
    return { runIds, skipped, files: imported }
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK')
    throw e
  }
}

function groupingStatements(store: Store) {
  const setGroup = store.write.prepare('UPDATE runs SET group_name = ? WHERE id = ?')
  const put = store.write.prepare('INSERT INTO run_tags (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT(run_id, key) DO UPDATE SET value = excluded.value')
  return (runId: string, group?: string, tags?: Record<string, string>) => {
    if (group !== undefined) setGroup.run(group, runId)
    for (const [k, v] of Object.entries(tags ?? {})) put.run(runId, k, v)
  }
}
