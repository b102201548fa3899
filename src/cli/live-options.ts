import type { Command } from 'commander'
import type { Core } from '../core'
import { DEFAULT_OTLP_PORT } from '../server/otlp-receiver'
import { startLiveServices, type LiveServices } from '../server/live-services'
import { CliError } from './context'

// `swarmscope serve`'s live-collection options, kept here so serve.ts stays small.

const collect = (v: string, prev: string[] = []) => [...prev, v]

export function addLiveOptions(cmd: Command): Command {
  return cmd
    .option('--otlp-port <n>', `OTLP/HTTP receiver port (0: any free port; default: live.otlpPort, ${DEFAULT_OTLP_PORT})`, String(DEFAULT_OTLP_PORT))
    .option('--no-otlp', 'do not start the OTLP/HTTP receiver')
    .option('--watch <dir>', 'tail this folder for transcripts and claude-flow files (repeatable; default: ~/.claude/projects and live.watch from the settings)', collect)
    .option('--no-watch', 'do not tail any folder')
    .option('--connect <url>', 'poll a claude-flow MCP WebSocket server, e.g. ws://127.0.0.1:3000/ws (repeatable)', collect)
    .option('--poll-interval <ms>', 'claude-flow polling interval', '1000')
    .option('--system-interval <ms>', 'sample host CPU/memory and swarm processes every <ms> (off by default)')
    .option('--sample-rate <r>', 'keep this fraction of spans and events from WebSocket and OTLP (errors and slow spans always kept)', '1')
    .option('--sample-budget <n>', 'adaptive sampling: keep the rate of incoming records under <n> per second')
    .option('--slow-ms <ms>', 'spans at least this long are never sampled out', '1000')
}

interface LiveFlags {
  otlpPort: string
  otlp: boolean
  watch?: string[] | false
  connect?: string[]
  pollInterval: string
  systemInterval?: string
  sampleRate: string
  sampleBudget?: string
  slowMs: string
}

function number(name: string, v: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(v)
  if (!Number.isFinite(n) || n < min || n > max) throw new CliError(`--${name} must be a number from ${min} to ${max}, got "${v}"`, 2)
  return n
}

export async function startLive(core: Core, where: { token: string; hostPort: number }, cmd: Command): Promise<LiveServices> {
  const flags = cmd.opts<LiveFlags>()
  // Flags given on the command line pin their setting for this run; the rest follow `live.*` in the settings.
  const given = (key: keyof LiveFlags) => cmd.getOptionValueSource(key) === 'cli'
  for (const url of flags.connect ?? []) if (!/^wss?:\/\//.test(url)) throw new CliError(`--connect needs a ws:// URL, got "${url}"`, 2)
  const samplingGiven = given('sampleRate') || given('sampleBudget') || given('slowMs')
  const live = await startLiveServices(core, {
    ...where,
    otlpPort: given('otlp') && !flags.otlp ? null : given('otlpPort') ? number('otlp-port', flags.otlpPort, 0, 65535) : undefined,
    watch: flags.watch === false ? [] : given('watch') ? flags.watch || undefined : undefined,
    connect: given('connect') ? flags.connect : undefined,
    connector: { pollMs: number('poll-interval', flags.pollInterval, 50) },
    system: given('systemInterval') && flags.systemInterval ? { intervalMs: number('system-interval', flags.systemInterval, 100) } : undefined,
    sampling: samplingGiven
      ? {
          rate: number('sample-rate', flags.sampleRate, 0.001, 1),
          budgetPerSec: flags.sampleBudget ? number('sample-budget', flags.sampleBudget, 1) : null,
          slowMs: number('slow-ms', flags.slowMs, 0),
        }
      : undefined,
  })
  if (live.otlp) console.log(`OTLP/HTTP receiver at ${live.otlp.url} (send the token as Authorization: Bearer <token>)`)
  console.log(`live ingest: ws://127.0.0.1:${where.hostPort}/ingest`)
  for (const t of live.collector.tails) console.log(`watching ${t.dir}`)
  for (const c of live.collector.connectors) console.log(`polling claude-flow at ${c.url}`)
  for (const p of live.problems) console.error(`note: ${p}`)
  return live
}
