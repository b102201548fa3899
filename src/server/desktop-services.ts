import type { Core } from '../core'
import { startReportScheduler } from '../core/reports/schedule/loop'
import { newToken } from './auth'
import { startHost, type Host } from './host'
import { startLiveServices, type LiveServices } from './live-services'

// What `swarmscope serve` runs beside its UI, for the desktop app: the window talks to the core
// over IPC, but Claude Code hooks, OTLP exporters and live NDJSON clients need a socket. So the
// app starts an API-only host on a free loopback port with its own token (written to the state
// file beside the database, where `swarmscope hook` and `swarmscope health` find it), the live
// sources, and the report scheduler. Nothing here imports Electron, so it is tested in Node.

export interface DesktopServicesOptions {
  log: (line: string) => void
  /** Folders to tail; default: the settings (`live.*`: ~/.claude/projects and more), followed while running. */
  watch?: string[]
  /** OTLP/HTTP port; default: the settings (4318); null for none. A taken port is logged, not fatal. */
  otlpPort?: number | null
  /** API host port; default 0 (any free one): a second profile must not collide with the first. */
  hostPort?: number
  schedulerIntervalMs?: number
}

export interface DesktopServices {
  host: Host
  live: LiveServices
  token: string
  stop(): Promise<void>
}

export async function startDesktopServices(core: Core, o: DesktopServicesOptions): Promise<DesktopServices> {
  const token = newToken()
  const host = await startHost({ core, token, port: o.hostPort ?? 0 })
  let live: LiveServices
  try {
    live = await startLiveServices(core, { token, hostPort: host.port, otlpPort: o.otlpPort, watch: o.watch })
  } catch (e) {
    await host.close()
    throw e
  }
  const scheduler = startReportScheduler(core, o.log, o.schedulerIntervalMs)
  o.log(`live ingest at ws://127.0.0.1:${host.port}/ingest${live.otlp ? `, OTLP/HTTP at ${live.otlp.url}` : ''}`)
  for (const t of live.collector.tails) o.log(`watching ${t.dir}`)
  for (const p of live.problems) o.log(`note: ${p}`)
  let stopping: Promise<void> | null = null
  return {
    host,
    live,
    token,
    stop() {
      // Quit can arrive twice (menu, then window-all-closed): stop once.
      stopping ??= (async () => {
        scheduler.stop()
        await live.stop()
        await host.close()
      })()
      return stopping
    },
  }
}
