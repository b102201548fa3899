import type { Command } from 'commander'
import { loadConfig } from '../../core/config/file'
import { defaultDbPath } from '../../core'
import type { RunSummary } from '../../shared/dto'
import { compact, duration, usd } from '../../shared/format'
import type { AlertRecord } from '../../shared/integrations-dto'
import { CliError, printJson, type GlobalOptions } from '../context'
import { table } from '../format'

// `swarmscope monitor`: a live terminal view of a running host (`swarmscope serve`), polling its
// REST routes: the newest runs, the live collector's sources and the latest alerts. On a
// terminal it redraws in place; piped, or with --once, it prints one snapshot.

interface LiveSource { id: string; kind: string; state: string; ratePerSec: number; queueDepth: number; queueCapacity: number; dropped: number; rejected: number; written: number }
export interface Snapshot {
  at: string
  url: string
  runs: RunSummary[]
  live: { sources: LiveSource[]; totals: Record<string, number> } | null
  alerts: AlertRecord[]
}

async function get<T>(base: string, path: string, token: string | undefined): Promise<T | null> {
  let res: Response
  try {
    res = await fetch(`${base}/api/v1${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(5000) })
  } catch {
    throw new CliError(`no Swarmscope host answers at ${base}; start one with \`swarmscope serve\` or pass --url`)
  }
  if (res.status === 401) throw new CliError(`the host at ${base} wants its token: pass --token or set SWARMSCOPE_TOKEN`, 2)
  if (res.status === 404) return null // a route this host does not have (e.g. no live collection)
  const body = (await res.json()) as { ok: boolean; data: T; error?: { message: string } }
  if (!body.ok) throw new CliError(body.error?.message ?? `GET ${path} failed`)
  return body.data
}

export async function snapshot(base: string, token: string | undefined, runs: number): Promise<Snapshot> {
  const [list, live, alerts] = await Promise.all([
    get<RunSummary[]>(base, `/runs?limit=${runs}`, token),
    get<Snapshot['live']>(base, '/live/health', token),
    get<{ alerts: AlertRecord[] }>(base, '/alerts?limit=5', token),
  ])
  return { at: new Date().toISOString(), url: base, runs: list ?? [], live, alerts: alerts?.alerts ?? [] }
}

export function render(s: Snapshot): string {
  const lines = [`Swarmscope monitor · ${s.url} · ${s.at.slice(11, 19)} UTC`, '']
  lines.push(s.runs.length === 0 ? 'No runs yet.' : table([
    ['run', 'name', 'duration', 'agents', 'llm', 'tools', 'errors', 'tokens in/out', 'cost'],
    ...s.runs.map((r) => [r.id.slice(0, 40), r.name.slice(0, 30), duration(r.durationMs), String(r.agents), String(r.llmCalls), String(r.toolCalls), String(r.errors), `${compact(r.inputTokens + r.cacheCreationTokens + r.cacheReadTokens)}/${compact(r.outputTokens)}`, usd(r.costUsd)]),
  ]))
  if (s.live && s.live.sources.length) {
    lines.push('', table([
      ['source', 'state', 'records/s', 'queue', 'written', 'rejected', 'dropped'],
      ...s.live.sources.map((x) => [`${x.id} (${x.kind})`, x.state, x.ratePerSec.toFixed(1), `${x.queueDepth}/${x.queueCapacity}`, String(x.written), String(x.rejected), String(x.dropped)]),
    ]))
  }
  if (s.alerts.length) {
    lines.push('', 'Recent alerts:', ...s.alerts.map((a) => `  ${a.firedAt.slice(0, 19).replace('T', ' ')}  ${a.severity.padEnd(8)} ${a.title}`))
  }
  return lines.join('\n')
}

export function registerMonitor(program: Command): void {
  program
    .command('monitor')
    .description('a live terminal view of a running `swarmscope serve`: newest runs, live sources, recent alerts')
    .option('--url <url>', 'the host (default: http://127.0.0.1:<server.port from config>)')
    .option('--token <token>', 'the host’s token (default: $SWARMSCOPE_TOKEN)')
    .option('--interval <seconds>', 'seconds between refreshes', '2')
    .option('--runs <n>', 'how many of the newest runs to show', '10')
    .option('--once', 'print one snapshot and exit (the default when not on a terminal)')
    .addHelpText('after', '\nExamples:\n  SWARMSCOPE_TOKEN=secret swarmscope monitor\n  swarmscope monitor --url http://127.0.0.1:7421 --token secret --once --json')
    .action(async (o: { url?: string; token?: string; interval: string; runs: string; once?: boolean }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const interval = Number(o.interval)
      const runs = Number(o.runs)
      if (!(interval >= 0.2)) throw new CliError(`--interval must be a number of seconds ≥ 0.2, got "${o.interval}"`, 2)
      if (!Number.isInteger(runs) || runs < 1 || runs > 1000) throw new CliError(`--runs must be a whole number from 1 to 1000, got "${o.runs}"`, 2)
      const port = (() => {
        try {
          return loadConfig(opts.db ?? defaultDbPath()).server.port
        } catch {
          return 7420
        }
      })()
      const base = (o.url ?? `http://127.0.0.1:${port}`).replace(/\/+$/, '')
      const token = o.token ?? process.env.SWARMSCOPE_TOKEN
      const live = process.stdout.isTTY && !o.once && !opts.json
      if (!live) {
        const s = await snapshot(base, token, runs)
        return opts.json ? printJson(s) : console.log(render(s))
      }
      const stop = () => {
        process.stdout.write('\x1b[?25h\n')
        process.exit(0)
      }
      process.on('SIGINT', stop)
      process.stdout.write('\x1b[?25l') // hide the cursor while redrawing
      for (;;) {
        const s = await snapshot(base, token, runs).catch((e: Error) => e)
        process.stdout.write('\x1b[H\x1b[2J' + (s instanceof Error ? `swarmscope: ${s.message} (retrying)` : render(s)) + '\n\nCtrl-C to quit\n')
        await new Promise((r) => setTimeout(r, interval * 1000))
      }
    })
}
