import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import type { Core } from '../core'
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
  /** Stops every source, writes what is queued and refreshes the live runs' summaries. */
  stop(): Promise<void>
}

export const defaultClaudeProjectsDir = () => join(process.env.CLAUDE_CONFIG_DIR ?? join(homedir(), '.claude'), 'projects')

/** Starts the live sources on a core. Each source fails on its own: the others keep going. */
export async function startCollector(core: Core, opts: CollectorOptions = {}): Promise<Collector> {
  const hub = core.live
  if (opts.sampling) hub.sampler.configure(opts.sampling)
  const tails = [...new Set((opts.watch ?? [defaultClaudeProjectsDir()]).map((d) => resolve(d)))].map(
    (dir) => new FolderTail(core, dir, hub.source(`tail:${dir}`, 'tail', `files in ${dir}`), opts.tail),
  )
  tails.forEach((t) => t.start())
  const connectors = [...new Set(opts.connect ?? [])].map((url) => new ClaudeFlowConnector(hub, url, hub.source(`claude-flow:${url}`, 'claude-flow', `claude-flow ${url}`), opts.connector))
  connectors.forEach((c) => c.start())
  const system = opts.system ? new SystemSampler(hub, hub.source('system', 'system', 'host and swarm processes'), opts.system) : null
  system?.start()
  const spoolDir = opts.spoolDir === undefined ? (core.dbPath === ':memory:' ? null : dirname(core.dbPath)) : opts.spoolDir
  const spool = spoolDir ? new HookSpool(hub, spoolDir, hub.source('hook-spool', 'spool', 'hook spool')) : null
  await spool?.start()
  return {
    tails,
    connectors,
    system,
    spool,
    async stop() {
      tails.forEach((t) => t.stop())
      connectors.forEach((c) => c.stop())
      system?.stop()
      spool?.stop()
      await Promise.all(tails.map((t) => t.settle()))
      await hub.flush()
    },
  }
}
