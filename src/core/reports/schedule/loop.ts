import type { Core } from '../../core'

/**
 * Runs the report scheduler inside a long-lived process (`swarmscope serve`, later the app):
 * one `reports.schedules.tick` per interval, never two at once. The timer does not keep the
 * process alive; what was delivered or missed is logged as one line each.
 */
export function startReportScheduler(core: Core, log: (line: string) => void = console.log, intervalMs = 1000): { stop(): void } {
  let running = false
  const once = async () => {
    if (running) return
    running = true
    try {
      const r = await core.call('reports.schedules.tick', {})
      if (!r.ok) return log(`report scheduler: ${r.error.message}`)
      for (const m of r.data.missed) log(`report schedule "${m.name}": ${m.count} run${m.count === 1 ? '' : 's'} missed (${m.first} … ${m.last}): ${m.reason}`)
      for (const x of r.data.ran) log(`report schedule ${x.scheduleId}: ${x.status}${x.file ? ` → ${x.file}` : ''}${x.emailedTo.length ? `, emailed ${x.emailedTo.join(', ')}` : ''}${x.message ? ` (${x.message})` : ''}`)
    } finally {
      running = false
    }
  }
  void once()
  const timer = setInterval(() => void once(), intervalMs)
  timer.unref?.()
  return { stop: () => clearInterval(timer) }
}
