import type { Command } from 'commander'
import type { Core } from '../core'
import { startLiveServices, type LiveServices } from '../server/live-services'
import { CliError } from './context'
import type { LiveFlags } from './live-options'

// serve's live services from its flags; loaded with serve only (the live services bring ws).

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
