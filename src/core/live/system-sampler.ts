import { readdirSync, readFileSync } from 'node:fs'
import { cpus, freemem, hostname, loadavg, totalmem } from 'node:os'
import type { MetricRecord } from '../ingest/records'
import type { NdjsonRecord } from '../ingest/ndjson/schema'
import type { LiveHub } from './hub'
import type { LiveSource } from './source'

// Host CPU and memory, and on Linux the CPU and resident memory of the swarm's processes
// (Claude Code, claude-flow/ruflo, and any pid given), sampled at an interval into a run of
// their own. Elsewhere only the host figures are known: process figures need /proc.

export interface SystemSamplerOptions {
  intervalMs?: number
  /** Process command names to follow (matched against the program and script names). */
  processPattern?: RegExp
  /** Extra process ids to follow whatever their names. */
  pids?: number[]
}

export const DEFAULT_PROCESS_PATTERN = /^(claude|claude-flow|ruflo|claude-code)(\.[cm]?js)?$/
/** Linux reports process CPU time in clock ticks of 1/100 s on every common platform. */
const TICKS_PER_SEC = 100

interface CpuTimes {
  idle: number
  total: number
}

function cpuTimes(): CpuTimes {
  let idle = 0
  let total = 0
  for (const c of cpus()) {
    idle += c.times.idle
    total += c.times.user + c.times.nice + c.times.sys + c.times.idle + c.times.irq
  }
  return { idle, total }
}

interface ProcSample {
  pid: number
  command: string
  ticks: number
  rssBytes: number
}

const basename = (p: string) => p.split(/[\\/]/).pop() ?? p

/** The processes to follow, from /proc (Linux only; elsewhere none). */
function processes(pattern: RegExp, pids: Set<number>): ProcSample[] {
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return []
  }
  const out: ProcSample[] = []
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue
    const pid = Number(e)
    if (pid === process.pid) continue
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean)
      // `node /usr/bin/claude-flow …`: the script's name counts as much as the program's.
      const command = [argv[0], argv[1]].filter(Boolean).map((a) => basename(a)).find((n) => pattern.test(n))
      if (!command && !pids.has(pid)) continue
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      // Fields after the command (which may contain spaces) start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const ticks = Number(fields[11]) + Number(fields[12])
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
      out.push({ pid, command: command ?? basename(argv[0] ?? String(pid)), ticks, rssBytes: rss ? Number(rss[1]) * 1024 : 0 })
    } catch {
      // The process ended while we looked, or is not ours to read.
    }
  }
  return out
}

export class SystemSampler {
  private timer: ReturnType<typeof setInterval> | null = null
  private prevCpu = cpuTimes()
  private prevProcs = new Map<number, { ticks: number; at: number }>()
  private prevAt = Date.now()
  readonly runId: string
  private runWritten = false
  /** A sample still waiting for its commit: the next tick is skipped rather than piled up. */
  private busy = false
  private readonly pattern: RegExp
  private readonly pids: Set<number>

  constructor(
    private readonly hub: LiveHub,
    readonly source: LiveSource,
    private readonly opts: SystemSamplerOptions = {},
  ) {
    const started = new Date()
    this.runId = `sys-${hostname()}-${started.toISOString().replace(/[-:]/g, '').slice(0, 15)}`
    this.pattern = opts.processPattern ?? DEFAULT_PROCESS_PATTERN
    this.pids = new Set(opts.pids ?? [])
  }

  start(): void {
    const interval = this.opts.intervalMs ?? 1000
    this.source.detail = { runId: this.runId, intervalMs: interval, processes: 0, perProcess: process.platform === 'linux' }
    this.source.setState('listening')
    this.timer = setInterval(() => {
      if (this.busy) return
      this.busy = true
      void this.sample().finally(() => (this.busy = false))
    }, interval)
    this.timer.unref?.()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.source.setState('stopped')
  }

  /** One sample of everything; public so tests can take one without waiting. */
  async sample(now = Date.now()): Promise<MetricRecord[]> {
    const runId = this.runId
    const metrics: MetricRecord[] = []
    const put = (name: string, value: number, unit: string, labels?: Record<string, string>) => {
      if (Number.isFinite(value)) metrics.push({ runId, name, unit, ts: now, value, labels })
    }
    const cpu = cpuTimes()
    const dTotal = cpu.total - this.prevCpu.total
    if (dTotal > 0) put('host.cpu.utilization', Math.round((1 - (cpu.idle - this.prevCpu.idle) / dTotal) * 10000) / 100, '%')
    this.prevCpu = cpu
    const total = totalmem()
    put('host.memory.used', total - freemem(), 'By')
    put('host.memory.total', total, 'By')
    put('host.load.1m', loadavg()[0], '1')
    const dt = (now - this.prevAt) / 1000
    const seen = new Map<number, { ticks: number; at: number }>()
    const procs = processes(this.pattern, this.pids)
    for (const p of procs) {
      const labels = { pid: String(p.pid), command: p.command }
      const prev = this.prevProcs.get(p.pid)
      if (prev && dt > 0) put('process.cpu.utilization', Math.round(((p.ticks - prev.ticks) / TICKS_PER_SEC / dt) * 10000) / 100, '%', labels)
      put('process.memory.rss', p.rssBytes, 'By', labels)
      seen.set(p.pid, { ticks: p.ticks, at: now })
    }
    this.prevProcs = seen
    this.prevAt = now
    this.source.detail.processes = procs.length
    const records: NdjsonRecord[] = metrics.map((record) => ({ type: 'metric', record }))
    if (!this.runWritten) {
      records.unshift({ type: 'run', record: { id: runId, source: 'system', format: 'swarmscope-live', name: `host ${hostname()} · ${new Date(now).toISOString().slice(0, 16).replace('T', ' ')}`, attrs: { hostname: hostname(), cpus: cpus().length } } })
    }
    try {
      await this.hub.write(this.source, records)
      this.runWritten = true
    } catch (e) {
      this.source.fail(e)
    }
    return metrics
  }
}
