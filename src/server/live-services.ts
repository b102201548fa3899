import type { Core } from '../core'
import { loadConfig } from '../core/config/file'
import { startCollector, type Collector, type CollectorOptions } from '../core/live/collector'
import { collectorOptionsOf, liveSettingsFrom, type LiveSettings, type PinnedLiveSettings } from '../core/live/live-settings'
import { defaultConfig } from '../shared/config'
import { VERSION } from '../shared/version'
import { removeHostState, writeHostState } from './live-state'
import { startOtlpReceiver, type OtlpReceiver } from './otlp-receiver'

export interface LiveServicesOptions extends Omit<CollectorOptions, 'watch' | 'connect' | 'system' | 'sampling'>, PinnedLiveSettings {
  token: string
  /** The host's port (for the state file the hook reads); its /ingest WebSocket is already on. */
  hostPort: number
  otlpMaxBodyBytes?: number
  /** How often the settings file is checked for changes to `live` (default 1 s). */
  configCheckMs?: number
}

export interface LiveServices {
  collector: Collector
  readonly otlp: OtlpReceiver | null
  /** Errors of sources that could not start (the others run anyway). */
  problems: string[]
  stop(): Promise<void>
}

/** The settings in force; an unreadable file keeps what runs (`current`; the defaults at start) and says why. */
const settingsOf = (core: Core, pinned: PinnedLiveSettings, problems: string[], current?: LiveSettings): LiveSettings => {
  try {
    return liveSettingsFrom(loadConfig(core.dbPath).live, pinned)
  } catch (e) {
    const note = `settings not applied to live collection: ${(e as Error).message}`
    if (!problems.includes(note)) problems.push(note)
    return current ?? liveSettingsFrom(defaultConfig().live, pinned)
  }
}

/**
 * Everything live beside the host: the OTLP receiver, the collector's sources, and the state
 * file hooks use to find us. What is not pinned by the caller follows the settings while
 * running. The OTLP port being taken is reported, not fatal.
 */
export async function startLiveServices(core: Core, opts: LiveServicesOptions): Promise<LiveServices> {
  const problems: string[] = []
  const pinned: PinnedLiveSettings = { watch: opts.watch, connect: opts.connect, otlpPort: opts.otlpPort, system: opts.system, sampling: opts.sampling }
  let settings = settingsOf(core, pinned, problems)
  let otlp: OtlpReceiver | null = null

  const startOtlp = async (port: number | null) => {
    if (port === null) return
    otlp = await startOtlpReceiver({ core, token: opts.token, port, maxBodyBytes: opts.otlpMaxBodyBytes }).catch((e: NodeJS.ErrnoException) => {
      problems.push(e.code === 'EADDRINUSE' ? `OTLP port ${port} is in use (another collector?); pass --otlp-port N or 0, or change live.otlpPort` : `OTLP receiver: ${e.message}`)
      return null
    })
  }
  const writeState = () => {
    if (core.dbPath === ':memory:') return
    writeHostState(core.dbPath, {
      pid: process.pid, port: opts.hostPort, token: opts.token, otlpPort: otlp?.port ?? null,
      dbPath: core.dbPath, startedAt: new Date().toISOString(), version: VERSION,
    })
  }

  await startOtlp(settings.otlpPort)
  const collector = await startCollector(core, { ...opts, ...collectorOptionsOf(settings) })
  writeState()

  // Follow the settings: one stat a second (loadConfig caches by mtime and size).
  let applying = false
  let stopped = false
  const follow = setInterval(async () => {
    if (applying || stopped) return
    const next = settingsOf(core, pinned, problems, settings)
    if (JSON.stringify(next) === JSON.stringify(settings)) return
    applying = true
    try {
      if (next.otlpPort !== settings.otlpPort) {
        await otlp?.close()
        otlp = null
        await startOtlp(next.otlpPort)
        if (stopped) return void (await (otlp as OtlpReceiver | null)?.close())
        writeState()
      }
      await collector.reconfigure(collectorOptionsOf(next))
      settings = next
    } finally {
      applying = false
    }
  }, opts.configCheckMs ?? 1000)
  follow.unref?.()

  return {
    collector,
    get otlp() {
      return otlp
    },
    problems,
    async stop() {
      stopped = true
      clearInterval(follow)
      if (core.dbPath !== ':memory:') removeHostState(core.dbPath)
      await otlp?.close()
      await collector.stop()
    },
  }
}
