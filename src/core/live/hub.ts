import type { LiveHealth, LiveRunUpdate, LiveSourceKind } from '../../shared/live-dto'
import type { CoreContext } from '../handlers/types'
import type { NdjsonRecord } from '../ingest/ndjson/schema'
import { userRedactionRules } from '../privacy/user-rules'
import { refreshRunStats } from '../store/run-stats'
import { LivePipeline, type CommitInfo, type PipelineOptions } from './pipeline'
import { Sampler, type SamplingOptions } from './sampler'
import { LiveSource } from './source'

export interface LiveHubOptions {
  pipeline?: PipelineOptions
  sampling?: SamplingOptions
  /** How often `live.stats` is pushed (default 1000 ms). */
  statsPushMs?: number
  /** How often `live.run` is pushed while records arrive (default 250 ms). */
  runPushMs?: number
}

const DEFAULT_SOURCE_CAPACITY = 50_000
/** Run summaries are refreshed at least this far apart, and further apart when refreshing is slow. */
const MIN_REFRESH_MS = 1000

/**
 * The live side of the core: sources register here, their records are sampled and queued
 * into the pipeline, and the UI hears about it through throttled `live.stats` / `live.run`
 * pushes. Run summaries (the `runs` table's totals) are refreshed about once a second, not
 * per batch: recomputing a big run's totals for every batch would cost more than the batch.
 */
export class LiveHub {
  readonly startedAt = Date.now()
  readonly sampler: Sampler
  readonly pipeline: LivePipeline
  private readonly sources = new Map<string, LiveSource>()
  private readonly dirtyRuns = new Set<string>()
  private readonly runUpdates = new Map<string, { records: number; lastRecordAt: number; sources: Set<string> }>()
  private timers: ReturnType<typeof setInterval>[] = []
  private refreshTimer: ReturnType<typeof setTimeout> | null = null
  private refreshing: Promise<void> | null = null
  private lastRefreshMs = 0
  private started = false
  private sourceCapacity = DEFAULT_SOURCE_CAPACITY

  constructor(
    private readonly ctx: CoreContext,
    private readonly opts: LiveHubOptions = {},
  ) {
    this.sampler = new Sampler(opts.sampling)
    const redactRules = () => userRedactionRules(ctx.store.path)
    this.pipeline = new LivePipeline(ctx.store, ctx.writes, (info) => this.committed(info), { redactRules, ...opts.pipeline })
  }

  /** Registers a source (or returns the one with this id); starts the push timers on first use. */
  source(id: string, kind: LiveSourceKind, label: string, capacity = this.sourceCapacity): LiveSource {
    let s = this.sources.get(id)
    if (!s) {
      s = new LiveSource(id, kind, label, capacity)
      this.sources.set(id, s)
    }
    this.start()
    return s
  }

  /** Queue bounds: the pipeline's, and each source's (existing and future). */
  setCapacity(c: { pipeline?: number; perSource?: number }): void {
    if (c.pipeline !== undefined) this.pipeline.capacity = c.pipeline
    if (c.perSource !== undefined) {
      this.sourceCapacity = c.perSource
      for (const s of this.sources.values()) s.queueCapacity = c.perSource
    }
  }

  removeSource(id: string): void {
    this.sources.delete(id)
  }

  /**
   * Samples (when asked), queues and resolves once the kept records are committed.
   * Never drops for lack of room: callers hold back reading instead (see LiveSource.hasRoom).
   */
  async write(source: LiveSource, records: NdjsonRecord[], opts: { sample?: boolean } = {}): Promise<{ written: number; sampledOut: number }> {
    source.received += records.length
    const { kept, sampledOut } = opts.sample ? this.sampler.apply(records) : { kept: records, sampledOut: 0 }
    source.sampledOut += sampledOut
    await this.pipeline.submit(source, kept)
    return { written: kept.length, sampledOut }
  }

  /** Whether both the source's and the pipeline's queues have room. */
  hasRoom(source: LiveSource): boolean {
    return source.hasRoom() && this.pipeline.hasRoom()
  }

  health(): LiveHealth {
    const now = Date.now()
    const sources = [...this.sources.values()].map((s) => s.health(now))
    const sum = (k: 'received' | 'written' | 'rejected' | 'sampledOut' | 'dropped') => sources.reduce((a, s) => a + s[k], 0)
    const p = this.pipeline
    return {
      at: now,
      startedAt: this.startedAt,
      sources,
      writer: { queueDepth: p.depth, queueCapacity: p.capacity, batches: p.batches, records: p.records, failedBatches: p.failedBatches, lastCommitMs: p.lastCommitMs, lastCommitAt: p.lastCommitAt, waitingForStore: p.waitingForStore },
      sampling: this.sampler.describe(),
      totals: { received: sum('received'), written: sum('written'), rejected: sum('rejected'), sampledOut: sum('sampledOut'), dropped: sum('dropped') },
    }
  }

  /** Writes what is queued and refreshes the touched runs' summaries (before closing the store). */
  async flush(): Promise<void> {
    await this.pipeline.drain()
    if (this.refreshTimer) clearTimeout(this.refreshTimer)
    this.refreshTimer = null
    await this.refreshing
    await this.refreshRuns()
  }

  /** Stops the timers; the core calls it on close. */
  dispose(): void {
    for (const t of this.timers) clearInterval(t)
    this.timers = []
    if (this.refreshTimer) clearTimeout(this.refreshTimer)
    this.started = false
  }

  private start(): void {
    if (this.started) return
    this.started = true
    // unref: a CLI command that touched the hub must still exit when it is done.
    const every = (ms: number, f: () => void) => {
      const t = setInterval(f, ms)
      t.unref?.()
      this.timers.push(t)
    }
    every(1000, () => this.sampler.tick())
    every(this.opts.statsPushMs ?? 1000, () => this.ctx.emit('live.stats', this.health()))
    every(this.opts.runPushMs ?? 250, () => this.pushRuns())
  }

  private committed(info: CommitInfo): void {
    const now = Date.now()
    for (const [runId, r] of info.runs) {
      this.dirtyRuns.add(runId)
      const u = this.runUpdates.get(runId) ?? { records: 0, lastRecordAt: now, sources: new Set<string>() }
      u.records += r.records
      u.lastRecordAt = now
      for (const s of r.sources) u.sources.add(s)
      this.runUpdates.set(runId, u)
    }
    this.scheduleRefresh()
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer || this.refreshing || this.dirtyRuns.size === 0) return
    const wait = Math.max(MIN_REFRESH_MS, this.lastRefreshMs * 5)
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null
      // A failed refresh (the store closing under it) only delays summaries until the next write.
      this.refreshing = this.refreshRuns().catch(() => undefined).finally(() => {
        this.refreshing = null
        // Runs written while this refresh ran get the next one.
        if (this.started) this.scheduleRefresh()
      })
    }, wait)
    this.refreshTimer.unref?.()
  }

  /** Recomputes the summaries of runs written since the last refresh, in one transaction on the write queue. */
  private async refreshRuns(): Promise<void> {
    if (this.dirtyRuns.size === 0) return
    const ids = [...this.dirtyRuns]
    this.dirtyRuns.clear()
    const db = this.ctx.store.write
    await this.ctx.writes.run(() => {
      // Timed inside the queue: waiting behind an import is not refresh cost.
      const started = performance.now()
      db.transaction(() => ids.forEach((id) => refreshRunStats(db, id)))()
      this.lastRefreshMs = performance.now() - started
    })
    this.ctx.emit('runs.changed', { runIds: ids })
  }

  private pushRuns(): void {
    if (this.runUpdates.size === 0) return
    const update: LiveRunUpdate = {
      at: Date.now(),
      runs: [...this.runUpdates].map(([runId, u]) => ({ runId, records: u.records, lastRecordAt: u.lastRecordAt, sources: [...u.sources] })),
    }
    this.runUpdates.clear()
    this.ctx.emit('live.run', update)
  }
}
