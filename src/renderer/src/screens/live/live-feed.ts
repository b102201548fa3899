import type { LiveHealth, LiveRunUpdate } from '../../../../shared/live-dto'
import type { ImportProgress } from '../../../../shared/dto'
import { client } from '../../client'

// The live monitor's data, kept outside React: push events arrive many times a second, and
// sending each through React state would re-render the page per tick. The screen reads these
// figures once a second and writes them straight into its tiles and chart instances.
//
// Hook for live collection: the collector's `live.stats` (LiveHealth, about 1/s) and
// `live.run` (runs that received records) events feed `onStats` and `onRuns` below; any
// further live event belongs here too, as one more subscription writing into `LiveFeed`.

export interface LiveSample {
  t: number
  eventsPerSec: number
  tokensPerSec: number
  importLinesPerSec: number
}

export interface ActiveRun {
  runId: string
  name: string
  sources: string[]
  lastRecordAt: number
  records: number
  agents: number
  tokens: number
  errors: number
}

export class LiveFeed {
  health: LiveHealth | null = null
  samples: LiveSample[] = []
  runs = new Map<string, ActiveRun>()
  imports = new Map<string, { p: ImportProgress; lastLines: number; lastAt: number; rate: number }>()
  private lastWritten: { n: number; at: number } | null = null
  private lastTokens = new Map<string, number>()
  private eventsPerSec = 0
  private offs: (() => void)[] = []
  private timer = 0

  start(onTick: (f: LiveFeed) => void): void {
    this.offs.push(client.on('live.stats', (h) => this.onStats(h)))
    this.offs.push(client.on('live.run', (u) => this.onRuns(u)))
    this.offs.push(client.on('import.progress', (p) => this.onImport(p)))
    this.offs.push(client.on('runs.changed', (c) => void this.refreshRuns(c.runIds)))
    void client.call('live.health', {}).then((r) => r.ok && this.onStats(r.data))
    // One tick a second: sample the rates, refresh the active runs' totals, then let the screen paint.
    this.timer = window.setInterval(() => void this.tick().then(() => onTick(this)), 1000)
    onTick(this)
  }

  stop(): void {
    this.offs.forEach((off) => off())
    window.clearInterval(this.timer)
  }

  private onStats(h: LiveHealth): void {
    if (this.lastWritten && h.at > this.lastWritten.at) this.eventsPerSec = ((h.totals.written - this.lastWritten.n) * 1000) / (h.at - this.lastWritten.at)
    else this.eventsPerSec = h.sources.reduce((t, s) => t + s.ratePerSec, 0)
    this.lastWritten = { n: h.totals.written, at: h.at }
    this.health = h
  }

  private onRuns(u: LiveRunUpdate): void {
    for (const r of u.runs) {
      const known = this.runs.get(r.runId)
      this.runs.set(r.runId, { ...(known ?? { name: r.runId, agents: 0, tokens: 0, errors: 0, records: 0 }), runId: r.runId, sources: r.sources, lastRecordAt: r.lastRecordAt, records: (known?.records ?? 0) + r.records })
    }
  }

  private onImport(p: ImportProgress): void {
    const now = performance.now()
    const prev = this.imports.get(p.importId)
    const rate = prev && now > prev.lastAt ? ((p.lines - prev.lastLines) * 1000) / (now - prev.lastAt) : 0
    if (p.done) this.imports.delete(p.importId)
    else this.imports.set(p.importId, { p, lastLines: p.lines, lastAt: now, rate: prev ? 0.5 * prev.rate + 0.5 * rate : rate })
  }

  /** The totals of the runs on screen that an import named, in one request. */
  private async refreshRuns(ids: string[]): Promise<void> {
    const shown = ids.filter((id) => this.runs.has(id))
    if (shown.length === 0) return
    const res = await client.call('runs.byIds', { ids: shown.slice(0, 1_000) })
    if (!res.ok) return
    for (const r of res.data) {
      const run = this.runs.get(r.id)
      if (run) Object.assign(run, { name: r.name, agents: r.agents, errors: r.errors, tokens: r.inputTokens + r.outputTokens + r.cacheCreationTokens + r.cacheReadTokens })
    }
  }

  private async tick(): Promise<void> {
    const now = Date.now()
    // Runs with a record in the last minute are "being collected now".
    for (const [id, r] of this.runs) if (now - r.lastRecordAt > 60_000) this.runs.delete(id)
    await this.refreshRuns([...this.runs.keys()])
    let tokensPerSec = 0
    for (const [id, r] of this.runs) {
      const before = this.lastTokens.get(id)
      if (before !== undefined && r.tokens > before) tokensPerSec += r.tokens - before
      this.lastTokens.set(id, r.tokens)
    }
    const importLinesPerSec = [...this.imports.values()].reduce((t, i) => t + i.rate, 0)
    this.samples.push({ t: now, eventsPerSec: Math.max(0, this.eventsPerSec), tokensPerSec, importLinesPerSec })
    if (this.samples.length > 300) this.samples.shift()
  }
}
