import { dirname, resolve } from 'node:path'
import type { Core } from '../core'
import { claudeProjectsDirs } from './claude-dirs'
import { ClaudeFlowConnector, type ConnectorOptions } from './claude-flow/connector'
import { FolderTail, type TailOptions } from './file-tail'
import type { SamplingOptions } from './sampler'
import { HookSpool } from './spool'
import { SystemSampler, type SystemSamplerOptions } from './system-sampler'

// The runtime-agnostic live sources: folder tails, claude-flow connectors, the system
// sampler and the hook spool. The network receivers (WebSocket ingest, OTLP/HTTP) live in
// src/server; a shell that wants them starts those too (see src/server/live-services.ts).

export interface CollectorOptions {
  /** Folders to tail (Claude Code projects, claude-flow projects). Default: ~/.claude/projects. */
  watch?: string[]
  tail?: TailOptions
  /** claude-flow MCP WebSocket URLs, e.g. ws://127.0.0.1:3000/ws. */
  connect?: string[]
  connector?: ConnectorOptions
  /** Host and swarm-process sampling; off unless given. */
  system?: SystemSamplerOptions | false
  sampling?: SamplingOptions
  /** Where `swarmscope hook` spools deliveries (default: the database's folder); null: no spool. */
  spoolDir?: string | null
}

export interface Collector {
  tails: FolderTail[]
  connectors: ClaudeFlowConnector[]
  system: SystemSampler | null
  spool: HookSpool | null
  /**
   * Applies new settings while running (the settings screen, `config set live.…`): tails and
   * connectors that are no longer wanted stop (their queued records are still written), new ones
   * start, unchanged ones keep going untouched; the system sampler restarts if its interval changed.
   */
  reconfigure(opts: Pick<CollectorOptions, 'watch' | 'connect' | 'system' | 'sampling'>): Promise<void>
  /** Stops every source, writes what is queued and refreshes the live runs' summaries. */
  stop(): Promise<void>
}

/** Starts the live sources on a core. Each source fails on its own: the others keep going. */
export async function startCollector(core: Core, opts: CollectorOptions = {}): Promise<Collector> {
  const hub = core.live
  const tails = new Map<string, FolderTail>()
  const connectors = new Map<string, ClaudeFlowConnector>()
  let system: SystemSampler | null = null
  let systemMs: number | null = null

  const setTails = async (watch: string[] | undefined) => {
    const want = new Set((watch ?? claudeProjectsDirs()).map((d) => resolve(d)))
    for (const [dir, t] of tails) {
      if (want.has(dir)) continue
      t.stop()
      await t.settle()
      tails.delete(dir)
      hub.removeSource(`tail:${dir}`)
    }
    for (const dir of want) {
      if (tails.has(dir)) continue
      const t = new FolderTail(core, dir, hub.source(`tail:${dir}`, 'tail', `files in ${dir}`), opts.tail)
      tails.set(dir, t)
      t.start()
    }
  }
  const setConnectors = (urls: string[] | undefined) => {
    const want = new Set(urls ?? [])
    for (const [url, c] of connectors) {
      if (want.has(url)) continue
      c.stop()
      connectors.delete(url)
      hub.removeSource(`claude-flow:${url}`)
    }
    for (const url of want) {
      if (connectors.has(url)) continue
      const c = new ClaudeFlowConnector(hub, url, hub.source(`claude-flow:${url}`, 'claude-flow', `claude-flow ${url}`), opts.connector)
      connectors.set(url, c)
      c.start()
    }
  }
  const setSystem = (o: SystemSamplerOptions | false | undefined) => {
    const ms = o ? (o.intervalMs ?? 1000) : null
    if (ms === systemMs) return
    system?.stop()
    system = null
    if (o) {
      system = new SystemSampler(hub, hub.source('system', 'system', 'host and swarm processes'), o)
      system.start()
    } else hub.removeSource('system')
    systemMs = ms
  }

  if (opts.sampling) hub.sampler.configure(opts.sampling)
  await setTails(opts.watch)
  setConnectors(opts.connect)
  setSystem(opts.system)
  const spoolDir = opts.spoolDir === undefined ? (core.dbPath === ':memory:' ? null : dirname(core.dbPath)) : opts.spoolDir
  const spool = spoolDir ? new HookSpool(hub, spoolDir, hub.source('hook-spool', 'spool', 'hook spool')) : null
  await spool?.start()
  return {
    get tails() {
      return [...tails.values()]
    },
    get connectors() {
      return [...connectors.values()]
    },
    get system() {
      return system
    },
    spool,
    async reconfigure(next) {
      if (next.sampling) hub.sampler.configure(next.sampling)
      await setTails(next.watch)
      setConnectors(next.connect)
      setSystem(next.system)
    },
    async stop() {
      const all = [...tails.values()]
      all.forEach((t) => t.stop())
      connectors.forEach((c) => c.stop())
      system?.stop()
      spool?.stop()
      await Promise.all(all.map((t) => t.settle()))
      await hub.flush()
    },
  }
}
