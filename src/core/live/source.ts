import type { LiveSourceHealth, LiveSourceKind, LiveSourceState } from '../../shared/live-dto'

const RATE_WINDOW_MS = 5_000
type Detail = LiveSourceHealth['detail']

/**
 * One live source's counters and state, as `live.health` reports them. The source itself
 * (a listener, a connector, a watcher) updates it; the pipeline updates queue and writes.
 */
export class LiveSource {
  state: LiveSourceState = 'starting'
  since = Date.now()
  received = 0
  written = 0
  rejected = 0
  sampledOut = 0
  dropped = 0
  /** Records handed to the pipeline and not yet committed. */
  queueDepth = 0
  paused = false
  lastRecordAt: number | null = null
  lastError: { at: number; message: string } | null = null
  retry: { attempt: number; nextAt: number } | null = null
  detail: Detail = {}
  /** Committed counts per second slot, for the rate. */
  private slots: { at: number; n: number }[] = []
  private roomWaiters: (() => void)[] = []

  constructor(
    readonly id: string,
    readonly kind: LiveSourceKind,
    readonly label: string,
    public queueCapacity: number,
  ) {}

  setState(state: LiveSourceState, error?: string): void {
    if (state !== this.state) {
      this.state = state
      this.since = Date.now()
    }
    if (error !== undefined) this.lastError = { at: Date.now(), message: error.slice(0, 500) }
    if (state !== 'retrying') this.retry = null
  }

  fail(error: unknown): void {
    this.lastError = { at: Date.now(), message: (error instanceof Error ? error.message : String(error)).slice(0, 500) }
  }

  hasRoom(): boolean {
    return this.queueDepth < this.queueCapacity
  }

  /** Resolves when the source's queue has room again (true), or false after `timeoutMs`. */
  waitForRoom(timeoutMs: number): Promise<boolean> {
    if (this.hasRoom()) return Promise.resolve(true)
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        resolve(true)
      }
      const timer = setTimeout(() => {
        this.roomWaiters = this.roomWaiters.filter((w) => w !== done)
        resolve(false)
      }, timeoutMs)
      this.roomWaiters.push(done)
    })
  }

  /** Called by the pipeline when `n` queued records of this source were committed (or failed). */
  settled(n: number, committed: boolean): void {
    this.queueDepth -= n
    if (committed) {
      this.written += n
      const now = Date.now()
      const slot = Math.floor(now / 1000) * 1000
      const last = this.slots[this.slots.length - 1]
      if (last && last.at === slot) last.n += n
      else this.slots.push({ at: slot, n })
      if (n > 0) this.lastRecordAt = now
    }
    if (this.hasRoom() && this.roomWaiters.length) for (const w of this.roomWaiters.splice(0)) w()
  }

  ratePerSec(now = Date.now()): number {
    this.slots = this.slots.filter((s) => s.at > now - RATE_WINDOW_MS - 1000)
    // Whole seconds only: the current, partial second would understate the rate.
    const full = this.slots.filter((s) => s.at <= now - 1000 && s.at > now - RATE_WINDOW_MS - 1000)
    return Math.round(full.reduce((a, s) => a + s.n, 0) / (RATE_WINDOW_MS / 1000))
  }

  health(now = Date.now()): LiveSourceHealth {
    return {
      id: this.id, kind: this.kind, label: this.label, state: this.state, since: this.since,
      received: this.received, written: this.written, rejected: this.rejected, sampledOut: this.sampledOut, dropped: this.dropped,
      ratePerSec: this.ratePerSec(now), queueDepth: this.queueDepth, queueCapacity: this.queueCapacity, paused: this.paused,
      lastRecordAt: this.lastRecordAt, lastError: this.lastError, retry: this.retry, detail: { ...this.detail },
    }
  }
}
