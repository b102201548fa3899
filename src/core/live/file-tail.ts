import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Core } from '../core'
import type { LiveSource } from './source'
import { SKIPPED_DIRS, watchTree, type TreeWatch } from './tree-watch'

// Tails folders of transcripts and claude-flow projects: a file that grows or appears after
// the watch started is imported again, and the importer resumes a grown file from where it
// stopped, so only the new lines are read. File watches give the speed (new lines in the store
// well within a second); a periodic rescan catches what watches miss (network drives, a
// folder over the system's watch limit). Rescans of a large tree cost real CPU (10,000 files:
// ~150 ms of stat calls each), so while the watch works they are spaced to a small share of
// the time.

export interface TailOptions {
  /** Wait this long after a change before importing, so a burst of appends is one import (default 50 ms). */
  debounceMs?: number
  /** Rescan the folder at least this often without a working watch (default 2000 ms); with one, at most ~2 % of the time goes to rescans. */
  rescanMs?: number
  /** Import the files already there at start too (default false: only what changes from now on)… */
  importExisting?: boolean
  /** …except files written within this long before the start (default 10 minutes). */
  recentMs?: number
}

/** What the importers read: transcripts, NDJSON, OTLP and claude-flow JSON, claude-flow databases and their WAL. */
const INTERESTING = /\.(jsonl|ndjson|json|db)$|\.db-wal$/

type Seen = Map<string, string>

const RETRY_FIRST_MS = 500
const RETRY_MAX_MS = 30_000

function scan(dir: string, out: Seen = new Map(), depth = 0): Seen {
  if (depth > 12) return out
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return out
  }
  for (const e of entries) {
    const p = join(dir, e.name)
    if (e.isDirectory()) {
      if (!SKIPPED_DIRS.has(e.name)) scan(p, out, depth + 1)
    } else if (e.isFile() && INTERESTING.test(e.name)) {
      try {
        const st = statSync(p)
        out.set(p, `${st.size}:${st.mtimeMs}`)
      } catch {
        // Gone between readdir and stat: the next scan sees it or not.
      }
    }
  }
  return out
}

export class FolderTail {
  private seen: Seen = new Map()
  private dirty = new Set<string>()
  private watcher: TreeWatch | null = null
  private timer: ReturnType<typeof setTimeout> | null = null
  private rescan: ReturnType<typeof setTimeout> | null = null
  private importing: Promise<void> | null = null
  /** Files of a failed import, read again after `retryMs` (doubled after each failure in a row, up to 30 s). */
  private retry: ReturnType<typeof setTimeout> | null = null
  private retryMs = RETRY_FIRST_MS
  private readonly retryPaths = new Set<string>()
  private readonly runTotals = new Map<string, number>()
  private stopped = false
  readonly dir: string

  constructor(
    private readonly core: Core,
    dir: string,
    readonly source: LiveSource,
    private readonly opts: TailOptions = {},
  ) {
    this.dir = resolve(dir)
  }

  start(): void {
    this.source.detail = { dir: this.dir, files: 0, imports: 0, watching: false }
    const now = scan(this.dir)
    const recent = Date.now() - (this.opts.recentMs ?? 10 * 60_000)
    // Files already there are left alone, except those written lately: a session that was
    // running before we started (or while we were down) continues in the store.
    this.seen = new Map([...now].filter(([, sig]) => !this.opts.importExisting && Number(sig.split(':')[1]) < recent))
    this.startWatcher()
    this.check(now)
  }

  /** Imports what is due now, and resolves when no import runs (for tests and shutdown). */
  async settle(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = null
    }
    if (this.dirty.size) this.runImports()
    while (this.importing) await this.importing
  }

  /** Stops watching; changes already seen are still imported by `settle`. */
  stop(): void {
    this.stopped = true
    this.watcher?.close()
    if (this.rescan) clearTimeout(this.rescan)
    if (this.retry) clearTimeout(this.retry)
    this.source.setState('stopped')
  }

  private startWatcher(): void {
    const exists = existsSync(this.dir)
    this.source.detail.exists = exists
    if (this.watcher || !exists) {
      this.source.setState(exists ? 'listening' : 'idle')
      return
    }
    try {
      this.watcher = watchTree(this.dir, {
        onFile: (path) => {
          if (INTERESTING.test(path)) this.mark(path)
        },
        onError: (e) => {
          // The folder was removed or the watch limit reached: rescans go on, and watch again when they can.
          this.source.fail(e)
          this.watcher?.close()
          this.watcher = null
          this.source.detail.watching = false
        },
      })
      this.source.detail.watching = true
      this.source.detail.watchedFolders = this.watcher.folders
      this.source.setState('listening')
    } catch (e) {
      // No watch here: the rescan alone keeps the folder in view.
      this.source.fail(e)
      this.source.setState('listening')
    }
  }

  /** Marks what changed since it was last seen (`scanned`: a scan just made), and schedules the next rescan. */
  private check(scanned?: Seen): void {
    if (this.stopped) return
    if (!this.watcher) this.startWatcher()
    const started = performance.now()
    const now = scanned ?? scan(this.dir)
    for (const [p, sig] of now) if (this.seen.get(p) !== sig) this.mark(p)
    this.source.detail.files = now.size
    if (this.watcher) this.source.detail.watchedFolders = this.watcher.folders
    // The next rescan: the configured interval, or later when a working watch makes it a safety net only.
    const took = performance.now() - started
    const every = this.opts.rescanMs ?? 2000
    this.rescan = setTimeout(() => this.check(), this.watcher ? Math.max(every, took * 50) : Math.max(every, took * 10))
    this.rescan.unref?.()
  }

  private mark(path: string): void {
    if (this.stopped) return
    this.dirty.add(path)
    if (!this.timer && !this.importing) this.timer = setTimeout(() => ((this.timer = null), this.runImports()), this.opts.debounceMs ?? 50)
  }

  /** One import loop at a time; `importing` is set before the loop can finish, and cleared after. */
  private runImports(): void {
    if (this.importing) return
    this.importing = this.importDirty().finally(() => {
      this.importing = null
      // Changes that came in during the import get their own, later import.
      if (this.dirty.size && !this.stopped) this.mark([...this.dirty][0])
    })
  }

  private async importDirty(): Promise<void> {
    while (this.dirty.size) {
      const paths = [...this.dirty].filter((p) => existsSync(p))
      this.dirty.clear()
      for (const p of paths) {
        try {
          const st = statSync(p)
          this.seen.set(p, `${st.size}:${st.mtimeMs}`)
        } catch {
          this.seen.delete(p)
        }
      }
      if (paths.length) await this.importPaths(paths)
    }
  }

  private async importPaths(paths: string[]): Promise<void> {
    const result = await this.core.call('import.paths', { paths })
    this.source.detail.imports = Number(this.source.detail.imports ?? 0) + 1
    if (!result.ok) {
      // The lines are still to be read (a store that could not be written, a file that could
      // not be opened): the files are marked again later rather than taken as imported, or a
      // session that wrote its last lines meanwhile would never be read to its end.
      for (const p of paths) {
        this.seen.delete(p)
        this.retryPaths.add(p)
      }
      if (!this.retry && !this.stopped) {
        this.retry = setTimeout(() => {
          this.retry = null
          const again = [...this.retryPaths]
          this.retryPaths.clear()
          for (const p of again) this.mark(p)
        }, this.retryMs)
        this.retry.unref?.()
        this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2)
      }
      return this.source.fail(new Error(result.error.message))
    }
    this.retryMs = RETRY_FIRST_MS
    // Records written = growth of the runs' row counts: the importer does not report lines per call.
    let added = 0
    for (const r of result.data.runs) {
      const total = r.spans + r.events + r.metricSamples + r.agents
      added += Math.max(0, total - (this.runTotals.get(r.id) ?? 0))
      this.runTotals.set(r.id, total)
    }
    this.source.received += added
    this.source.queueDepth += added
    this.source.settled(added, true)
    // Half-written last lines and files of other formats are normal while tailing, not errors.
    const problems = result.data.skipped.filter((s) => s.line !== null && !/incomplete last line/.test(s.reason))
    this.source.rejected += problems.length
    if (problems.length) this.source.fail(new Error(`${problems[0].file}:${problems[0].line}: ${problems[0].reason}`))
  }
}
