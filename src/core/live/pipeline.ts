import type { RedactionRule } from '../privacy/redact'
import type { NdjsonRecord } from '../ingest/ndjson/schema'
import { writeNdjsonRecord } from '../ingest/ndjson/format'
import { createWriter } from '../ingest/writer'
import type { Store } from '../store/open'
import { reserveGuard } from '../store/disk-reserve'
import { explainStoreError, releaseSpaceAfter } from '../store/store-errors'
import { beginWrite, waitingForOtherProcess } from '../store/write-lock'
import type { WriteQueue } from '../write-queue'
import type { LiveSource } from './source'

export interface PipelineOptions {
  /** Write as soon as this many records wait (default 20 000)… */
  batchRecords?: number
  /** …or when the oldest has waited this long (default 5 ms; longer under load, see `schedule`). */
  maxDelayMs?: number
  /** Records queued across all sources before every source is held back (default 200 000). */
  capacity?: number
  /** Read when the first batch is written: a broken rules file then fails batches visibly instead of the core. */
  redactRules?: () => readonly RedactionRule[]
}

interface Pending {
  source: LiveSource
  records: NdjsonRecord[]
  resolve: () => void
  reject: (e: Error) => void
}

export interface CommitInfo {
  /** Records committed per run in this transaction. */
  runs: Map<string, { records: number; sources: Set<string> }>
  records: number
  ms: number
}

/** The run a record belongs to. */
export const runOf = (r: NdjsonRecord): string => (r.type === 'run' ? r.record.id : r.record.runId)

/**
 * Turns live records into few, large transactions. Every batch goes through the core's write
 * queue, so it never lands inside an import's transaction, and its promise resolves only after
 * COMMIT: that is when senders get their acknowledgement.
 */
export class LivePipeline {
  capacity: number
  depth = 0
  batches = 0
  records = 0
  failedBatches = 0
  lastCommitMs: number | null = null
  lastCommitAt: number | null = null
  /**
   * Whether records wait for another process that is writing to the store: this process has a
   * commit due, and a write of it (this commit, or an import queued before it) waits for the lock.
   */
  get waitingForStore(): boolean {
    return (this.flushing || this.pending.length > 0) && waitingForOtherProcess(this.store.write)
  }
  private pending: Pending[] = []
  private flushing = false
  /** Records arrived while the last commit ran. */
  private backlogged = false
  private timer: ReturnType<typeof setTimeout> | null = null
  private readonly batchRecords: number
  private readonly maxDelayMs: number
  private writer: ReturnType<typeof createWriter> | null = null
  private reserve: ReturnType<typeof reserveGuard> | null = null
  private readonly redactRules: () => readonly RedactionRule[]
  private drainWaiters: (() => void)[] = []

  constructor(
    private readonly store: Store,
    private readonly writes: WriteQueue,
    private readonly onCommit: (info: CommitInfo) => void,
    opts: PipelineOptions = {},
  ) {
    this.batchRecords = opts.batchRecords ?? 20_000
    this.maxDelayMs = opts.maxDelayMs ?? 5
    this.capacity = opts.capacity ?? 200_000
    this.redactRules = opts.redactRules ?? (() => [])
  }

  hasRoom(): boolean {
    return this.depth < this.capacity
  }

  /** Queues records; resolves once they are committed, rejects if their transaction failed. */
  submit(source: LiveSource, records: NdjsonRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve()
    source.queueDepth += records.length
    this.depth += records.length
    return new Promise((resolve, reject) => {
      this.pending.push({ source, records, resolve, reject })
      this.schedule()
    })
  }

  /** Resolves when everything queued so far is settled. */
  drain(): Promise<void> {
    if (this.pending.length === 0 && !this.flushing) return Promise.resolve()
    return new Promise((r) => this.drainWaiters.push(r))
  }

  /**
   * When to write next. A record waits at most maxDelayMs, unless records kept arriving while
   * the last commit ran (several busy senders): then the next write waits as long as that
   * commit took (up to 50 ms), so transactions grow with the load. Records with scattered ids
   * (OTLP span ids, UUIDs) dirty about one page each, and a commit of 8k of them costs a
   * quarter per record of a commit of 1k. A lone sender waiting for its answer never waits longer.
   */
  private schedule(): void {
    if (this.flushing) return
    if (this.depth >= this.batchRecords) {
      if (this.timer) clearTimeout(this.timer)
      this.timer = null
      void this.flush()
    } else if (!this.timer) {
      const delay = this.backlogged ? Math.max(this.maxDelayMs, Math.min(50, this.lastCommitMs ?? 0)) : this.maxDelayMs
      this.timer = setTimeout(() => ((this.timer = null), void this.flush()), delay)
    }
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.pending.length === 0) return
    this.flushing = true
    const batch = this.pending
    this.pending = []
    try {
      await this.writes.run(async () => {
        // Another process writing to the store (an import of a large folder) is waited for
        // without blocking this process; records keep queueing meanwhile, up to `capacity`.
        try {
          await beginWrite(this.store.write)
        } catch (e) {
          for (const p of batch) this.refuse(p, e)
          return
        }
        this.commit(batch)
      }, { waitsItself: true })
    } finally {
      this.flushing = false
      this.backlogged = this.pending.length > 0
      if (this.pending.length) this.schedule()
      else for (const w of this.drainWaiters.splice(0)) w()
    }
  }

  /**
   * One transaction for everything waiting, begun by the caller (flush); if it fails, each
   * batch alone, so one bad batch cannot sink the others.
   */
  private commit(batch: Pending[]): void {
    const started = performance.now()
    const runs = new Map<string, { records: number; sources: Set<string> }>()
    let ok: Pending[] = []
    try {
      this.transaction(batch, runs, true)
      ok = batch
    } catch {
      for (const p of batch) {
        try {
          this.transaction([p], runs)
          ok.push(p)
        } catch (e) {
          this.refuse(p, e)
        }
      }
    }
    const ms = performance.now() - started
    let n = 0
    for (const p of ok) {
      n += p.records.length
      this.settle(p, true)
      p.resolve()
    }
    if (ok.length) {
      this.batches++
      this.records += n
      this.lastCommitMs = Math.round(ms * 100) / 100
      this.lastCommitAt = Date.now()
      this.onCommit({ runs, records: n, ms })
    }
  }

  private refuse(p: Pending, e: unknown): void {
    this.failedBatches++
    this.settle(p, false)
    // A full disk, a read-only or damaged store: the sender and the live panel are told which store and why.
    releaseSpaceAfter(this.store.write, e)
    const said = explainStoreError(e, this.store.path, 'these records were not stored') ?? e
    p.source.fail(said)
    p.reject(said as Error)
  }

  private transaction(batch: Pending[], runs: CommitInfo['runs'], begun = false): void {
    const db = this.store.write
    // Live records carry no text: the 'none' policy, with the same redaction of metadata as imports.
    const writer = (this.writer ??= createWriter(db, { contentPolicy: 'none', now: Date.now, redactRules: this.redactRules() }))
    const runsSeen = new Set<string>()
    const seen = new Map<string, { records: number; sources: Set<string> }>()
    if (!begun) db.exec('BEGIN IMMEDIATE')
    try {
      // Live records stop at the disk's reserve as imports do (disk-reserve.ts); their senders are told, and send them again later.
      // A batch is small: nothing of it waits unwritten for long, unlike an import's transaction.
      this.reserve ??= reserveGuard(this.store.path, { unwritten: 0 })
      this.reserve.check()
      for (const p of batch) {
        // Batches are usually one run: look the run up only when it changes.
        let lastRun = ''
        let r: { records: number; sources: Set<string> } | undefined
        for (const rec of p.records) {
          writeNdjsonRecord(writer.sink, rec, runsSeen)
          const id = runOf(rec)
          if (id !== lastRun || !r) {
            lastRun = id
            r = seen.get(id)
            if (!r) seen.set(id, (r = { records: 0, sources: new Set<string>() }))
            r.sources.add(p.source.id)
          }
          r.records++
        }
      }
      db.exec('COMMIT')
      for (const [id, r] of seen) {
        const into = runs.get(id)
        if (!into) runs.set(id, r)
        else {
          into.records += r.records
          for (const s of r.sources) into.sources.add(s)
        }
      }
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK')
      throw e
    } finally {
      writer.touched.clear()
    }
  }

  private settle(p: Pending, committed: boolean): void {
    this.depth -= p.records.length
    p.source.settled(p.records.length, committed)
  }
}
