import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Command } from 'commander'
import { defaultDbPath } from '../../core'
import { SPOOL_FILE } from '../../core/live/spool'
import { readHostState } from '../../server/live-state'
import type { LiveHealth } from '../../shared/live-dto'
import { CliError, printJson, type GlobalOptions } from '../context'
import { compact, table } from '../format'
import { packageRoot } from '../package-root'

// `swarmscope health`: asks the running host (found through live-host.json beside the
// database) for its live sources. `swarmscope hook`: the same forwarder as bin/swarmscope-hook.mjs
// (which starts faster: use that one in settings.json).

interface HookModule {
  forwardHook(text: string): Promise<string>
  readStdin(): Promise<string>
}

const ago = (at: number | null, now: number) => (at === null ? '—' : `${Math.max(0, Math.round((now - at) / 1000))} s ago`)

function healthTable(h: LiveHealth): string {
  const rows = h.sources.map((s) => [
    s.label, s.state + (s.paused ? ' (paused)' : ''), compact(s.written), `${compact(s.ratePerSec)}/s`, `${s.queueDepth}/${compact(s.queueCapacity)}`,
    String(s.rejected), String(s.sampledOut), String(s.dropped), ago(s.lastRecordAt, h.at), s.lastError ? s.lastError.message.slice(0, 60) : '',
  ])
  const w = h.writer
  return [
    table([['source', 'state', 'written', 'rate', 'queue', 'rejected', 'sampled out', 'dropped', 'last record', 'last error'], ...rows]),
    `writer: ${compact(w.records)} records in ${compact(w.batches)} commits, queue ${w.queueDepth}/${compact(w.queueCapacity)}, last commit ${w.lastCommitMs ?? '—'} ms, failed batches ${w.failedBatches}${w.waitingForStore ? '; waiting for another process writing to the store' : ''}`,
    `sampling: rate ${h.sampling.rate}${h.sampling.budgetPerSec ? ` (budget ${h.sampling.budgetPerSec}/s)` : ''}; errors and spans ≥ ${h.sampling.slowMs} ms always kept`,
  ].join('\n')
}

export function registerLive(program: Command): void {
  program
    .command('health')
    .description("the running host's live sources: state, rates, queue depth, drops and last error")
    .addHelpText('after', '\nExamples:\n  swarmscope health\n  swarmscope health --json   # exit code 1 when no host runs for this database')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const dbPath = opts.db ?? defaultDbPath()
      const state = readHostState(dbPath)
      const spool = join(dbPath === ':memory:' ? '.' : join(dbPath, '..'), SPOOL_FILE)
      const spooled = existsSync(spool) ? statSync(spool).size : 0
      const notRunning = (why: string) => {
        if (opts.json) printJson({ running: false, reason: why, spooledHookBytes: spooled })
        else console.log(`Swarmscope is not running (${why}).${spooled ? ` ${spooled} bytes of hook deliveries wait in ${spool}.` : ''}`)
        process.exitCode = 1
      }
      if (!state) return notRunning(`no ${join(dbPath, '..', 'live-host.json')}`)
      let res: Response
      try {
        res = await fetch(`http://127.0.0.1:${state.port}/api/v1/live/health`, { headers: { 'x-swarmscope-token': state.token }, signal: AbortSignal.timeout(3000) })
      } catch {
        let alive = false
        try {
          process.kill(state.pid, 0)
          alive = true
        } catch {
          // No such process: it stopped without removing its state file (killed, crashed).
        }
        return notRunning(alive ? `pid ${state.pid} did not answer on port ${state.port} within 3 s: busy, or not a Swarmscope host` : `pid ${state.pid} has stopped (it was killed or crashed)`)
      }
      const body = (await res.json()) as { ok: boolean; data: LiveHealth; error?: { message: string } }
      if (!body.ok) throw new CliError(`the host answered: ${body.error?.message ?? res.status}`)
      if (opts.json) printJson({ running: true, pid: state.pid, port: state.port, otlpPort: state.otlpPort, ...body.data })
      else console.log(`Swarmscope ${state.version} (pid ${state.pid}) on port ${state.port}${state.otlpPort ? `, OTLP on ${state.otlpPort}` : ''}\n${healthTable(body.data)}`)
    })

  program
    .command('hook')
    .description('forward a Claude Code hook (JSON on stdin) to the running app, or spool it; always exits 0')
    .addHelpText('after', '\nExample:\n  echo \'{"session_id":"s1","hook_event_name":"Stop"}\' | swarmscope hook\nFor settings.json prefer the faster `swarmscope-hook` (bin/swarmscope-hook.mjs); see README, "Live profiling".')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      if (opts.db) process.env.SWARMSCOPE_DB = opts.db
      try {
        const mod = (await import(pathToFileURL(join(packageRoot(), 'bin/swarmscope-hook.mjs')).href)) as HookModule
        await mod.forwardHook(await mod.readStdin())
      } catch {
        // A hook must never fail Claude Code.
      }
      process.exit(0)
    })
}
