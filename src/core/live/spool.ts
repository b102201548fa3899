import { existsSync, readdirSync, readFileSync, renameSync, unlinkSync } from 'node:fs'
import { join } from 'node:path'
import { HookDelivery } from '../../shared/live-dto'
import { mapHookDeliveries } from './hooks'
import type { LiveHub } from './hub'
import type { LiveSource } from './source'

// The hook spool: `swarmscope hook` appends a delivery here (one JSON line) when the app is
// not running or does not answer in time. The app takes the file over by renaming it, waits
// a moment for a hook that opened it just before the rename to finish its one write, stores
// the deliveries, and deletes the file only after the commit. A crash before that leaves the
// claimed file, picked up on the next start; storing a delivery twice is harmless (its id is
// a hash of its time and content).

export const SPOOL_FILE = 'hooks.spool.ndjson'
const CLAIMED = /^hooks\.spool\..+\.ingesting$/
/** A hook writes its line with one write() right after open(): far less than this. */
const GRACE_MS = 200
const CHUNK = 2000

export class HookSpool {
  private timer: ReturnType<typeof setInterval> | null = null
  private running: Promise<number> | null = null

  constructor(
    private readonly hub: LiveHub,
    readonly dir: string,
    readonly source: LiveSource,
  ) {
    source.detail = { file: join(dir, SPOOL_FILE), ingestedFiles: 0 }
    source.setState('idle')
  }

  /** Ingests now, then checks every `everyMs` for deliveries spooled while we run (hooks that timed out). */
  start(everyMs = 5000): Promise<number> {
    this.timer = setInterval(() => void this.ingest(), everyMs)
    this.timer.unref?.()
    return this.ingest()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.source.setState('stopped')
  }

  /** Stores every spooled delivery; resolves with how many were stored. */
  ingest(): Promise<number> {
    this.running ??= this.ingestAll().finally(() => (this.running = null))
    return this.running
  }

  private async ingestAll(): Promise<number> {
    const spool = join(this.dir, SPOOL_FILE)
    if (existsSync(spool)) {
      try {
        renameSync(spool, join(this.dir, `hooks.spool.${process.pid}.${Date.now()}.ingesting`))
        await new Promise((r) => setTimeout(r, GRACE_MS))
      } catch (e) {
        this.source.fail(e)
      }
    }
    let stored = 0
    let claimed: string[] = []
    try {
      claimed = readdirSync(this.dir).filter((n) => CLAIMED.test(n)).sort()
    } catch {
      return 0
    }
    for (const name of claimed) {
      const path = join(this.dir, name)
      try {
        stored += await this.ingestFile(path)
        unlinkSync(path)
        this.source.detail.ingestedFiles = Number(this.source.detail.ingestedFiles) + 1
      } catch (e) {
        this.source.fail(e)
      }
    }
    return stored
  }

  private async ingestFile(path: string): Promise<number> {
    const deliveries: HookDelivery[] = []
    let bad = 0
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (line.trim() === '') continue
      try {
        const parsed = HookDelivery.safeParse(JSON.parse(line))
        if (parsed.success) deliveries.push(parsed.data)
        else bad++
      } catch {
        bad++
      }
    }
    this.source.received += bad
    this.source.rejected += bad
    if (bad) this.source.fail(new Error(`${path}: ${bad} spooled line(s) were not hook deliveries`))
    let stored = 0
    for (let i = 0; i < deliveries.length; i += CHUNK) {
      const { records, rejected } = mapHookDeliveries(deliveries.slice(i, i + CHUNK))
      this.source.rejected += rejected.length
      await this.hub.write(this.source, records)
      stored += Math.min(CHUNK, deliveries.length - i) - rejected.length
    }
    return stored
  }
}
