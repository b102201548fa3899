import type { LiveSampling } from '../../shared/live-dto'
import type { NdjsonRecord } from '../ingest/ndjson/schema'

export interface SamplingOptions {
  /** Uniform rate in (0, 1]; 1 (the default) keeps every record. */
  rate?: number
  /** Adaptive: records per second to stay under; the rate drops while more arrive. Off when null. */
  budgetPerSec?: number | null
  /** Spans at least this long are always kept (default 1000 ms). */
  slowMs?: number
}

/** The attribute a kept, sampled record carries: weight it by 1/rate to re-estimate counts. */
export const SAMPLE_RATE_ATTR = 'swarmscope.sample_rate'
const MIN_RATE = 0.001

/**
 * FNV-1a with murmur3's finaliser (FNV alone mixes the high bits of short, similar ids poorly):
 * a stable hash, so a span sent twice (at start and at end) gets the same decision.
 */
function unitHash(a: string, b: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < a.length; i++) h = Math.imul(h ^ a.charCodeAt(i), 0x01000193)
  h = Math.imul(h ^ 0, 0x01000193)
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b.charCodeAt(i), 0x01000193)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return (h >>> 0) / 0x1_0000_0000
}

/**
 * Decides which spans and events to keep. Runs, agents and metric samples are always kept
 * (they are few and summaries depend on them); so are error spans, error events and slow spans.
 * The rest is kept with probability `rate`, decided by a hash of run and record id.
 */
export class Sampler {
  baseRate: number
  rate: number
  budgetPerSec: number | null
  slowMs: number
  private seenThisSecond = 0
  private observed = 0

  constructor(opts: SamplingOptions = {}) {
    this.baseRate = clampRate(opts.rate ?? 1)
    this.rate = this.baseRate
    this.budgetPerSec = opts.budgetPerSec ?? null
    this.slowMs = opts.slowMs ?? 1000
  }

  configure(opts: SamplingOptions): void {
    if (opts.rate !== undefined) this.baseRate = clampRate(opts.rate)
    if (opts.budgetPerSec !== undefined) this.budgetPerSec = opts.budgetPerSec
    if (opts.slowMs !== undefined) this.slowMs = opts.slowMs
    this.rate = Math.min(this.rate, this.baseRate)
    if (this.budgetPerSec === null) this.rate = this.baseRate
  }

  /** Called once a second: the adaptive rate follows the smoothed arrival rate. */
  tick(): void {
    this.observed = this.observed === 0 ? this.seenThisSecond : 0.5 * this.observed + 0.5 * this.seenThisSecond
    this.seenThisSecond = 0
    const budget = this.budgetPerSec
    this.rate = budget !== null && this.observed > budget ? clampRate(Math.min(this.baseRate, budget / this.observed)) : this.baseRate
  }

  apply(records: NdjsonRecord[]): { kept: NdjsonRecord[]; sampledOut: number } {
    this.seenThisSecond += records.length
    const rate = this.rate
    if (rate >= 1) return { kept: records, sampledOut: 0 }
    const kept: NdjsonRecord[] = []
    for (const r of records) {
      if (r.type === 'span') {
        const s = r.record
        const slow = s.startMs != null && s.endMs != null && s.endMs - s.startMs >= this.slowMs
        if (s.status === 'error' || slow) kept.push(r)
        else if (unitHash(s.runId, s.id) < rate) kept.push({ type: 'span', record: { ...s, attrs: { ...s.attrs, [SAMPLE_RATE_ATTR]: rate } } })
      } else if (r.type === 'event') {
        const e = r.record
        if (e.severity === 'error' || e.severity === 'fatal') kept.push(r)
        else if (unitHash(e.runId, e.id) < rate) kept.push({ type: 'event', record: { ...e, attrs: { ...e.attrs, [SAMPLE_RATE_ATTR]: rate } } })
      } else kept.push(r)
    }
    return { kept, sampledOut: records.length - kept.length }
  }

  describe(): LiveSampling {
    return { baseRate: this.baseRate, rate: this.rate, budgetPerSec: this.budgetPerSec, slowMs: this.slowMs }
  }
}

function clampRate(r: number): number {
  if (!Number.isFinite(r)) return 1
  return Math.min(1, Math.max(MIN_RATE, r))
}
