import type { Core } from '../core'
import { startCollector, type Collector, type CollectorOptions } from '../core/live/collector'
import { VERSION } from '../shared/version'
import { removeHostState, writeHostState } from './live-state'
import { startOtlpReceiver, type OtlpReceiver } from './otlp-receiver'

export interface LiveServicesOptions extends CollectorOptions {
  token: string
  /** The host's port (for the state file the hook reads); its /ingest WebSocket is already on. */
  hostPort: number
  /** OTLP/HTTP port; null turns the receiver off. */
  otlpPort?: number | null
  otlpMaxBodyBytes?: number
}

export interface LiveServices {
  collector: Collector
  otlp: OtlpReceiver | null
  /** Errors of sources that could not start (the others run anyway). */
  problems: string[]
  stop(): Promise<void>
}

/**
 * Everything live beside the host: the OTLP receiver, the collector's sources, and the state
 * file hooks use to find us. The OTLP port being taken is reported, not fatal.
 */
export async function startLiveServices(core: Core, opts: LiveServicesOptions): Promise<LiveServices> {
  const problems: string[] = []
  let otlp: OtlpReceiver | null = null
  if (opts.otlpPort !== null) {
    otlp = await startOtlpReceiver({ core, token: opts.token, port: opts.otlpPort, maxBodyBytes: opts.otlpMaxBodyBytes }).catch((e: NodeJS.ErrnoException) => {
      problems.push(e.code === 'EADDRINUSE' ? `OTLP port ${opts.otlpPort} is in use (another collector?); pass --otlp-port N or 0` : `OTLP receiver: ${e.message}`)
      return null
    })
  }
  const collector = await startCollector(core, opts)
  if (core.dbPath !== ':memory:') {
    writeHostState(core.dbPath, {
      pid: process.pid, port: opts.hostPort, token: opts.token, otlpPort: otlp?.port ?? null,
      dbPath: core.dbPath, startedAt: new Date().toISOString(), version: VERSION,
    })
  }
  return {
    collector,
    otlp,
    problems,
    async stop() {
      if (core.dbPath !== ':memory:') removeHostState(core.dbPath)
      await otlp?.close()
      await collector.stop()
    },
  }
}
