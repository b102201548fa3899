import type { ScheduleRun } from '../../../shared/routes/reports'
import { renderReport, type ReportDeps } from '../render'
import { emailReport, writeReport } from './deliver'
import { anonymizeOf, claim, cronOf, getScheduleRow, recordRun, type ScheduleRow } from './store'

// The scheduler's decisions, one pass at a time (the serve loop calls tick every second):
// each schedule's occurrences since checked_until are either delivered (the latest one, if it
// fell due within GRACE_MS) or recorded as missed, with the reason. Nothing is dropped silently:
// `swarmscope report schedule list` counts them and `… history` lists them.

const GRACE_MS = 60_000
/** Per pass: a per-second schedule left for weeks is worked through over several passes. */
const MAX_OCCURRENCES = 10_000

export interface SchedulerDeps extends ReportDeps {
  now?: () => number
  env?: NodeJS.ProcessEnv
}

export interface MissedSummary {
  scheduleId: string
  name: string
  count: number
  first: string
  last: string
  reason: string
}

// Per process: schedules being delivered right now, and when this process started ticking
// (occurrences before that were missed because Swarmscope was not running).
const busy = new Set<string>()
let firstTickAt: number | null = null

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'report'
const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')

/** Renders and delivers one occurrence; the outcome (ok or failed, with why) is recorded. */
export async function deliverOccurrence(deps: SchedulerDeps, row: ScheduleRow, dueAt: number): Promise<ScheduleRun> {
  const now = deps.now ?? Date.now
  busy.add(row.id)
  let file: string | null = null
  let emailed: string[] = []
  try {
    const baseName = `${slug(row.name)}-${stamp(dueAt)}`
    // An anonymized schedule renders from a pseudonymized copy each time (never cached), under its fixed salt or a fresh one.
    const r = await renderReport(deps, { target: row.target, template: row.template ?? undefined, format: row.format, baseName, cache: true, anonymize: anonymizeOf(row) })
    if (row.out_dir) file = writeReport(row.out_dir, baseName, r)
    emailed = await emailReport(row, `${baseName}.${r.format}`, r, new Date(dueAt), deps.env)
    return await deps.writes.run(() => recordRun(deps.store.write, { scheduleId: row.id, dueAt, ranAt: now(), status: 'ok', file, emailedTo: emailed, message: null }))
  } catch (e) {
    const message = (e as Error).message
    return await deps.writes.run(() => recordRun(deps.store.write, { scheduleId: row.id, dueAt, ranAt: now(), status: 'failed', file, emailedTo: emailed, message }))
  } finally {
    busy.delete(row.id)
  }
}

export async function runScheduleNow(deps: SchedulerDeps, id: string): Promise<ScheduleRun> {
  return deliverOccurrence(deps, getScheduleRow(deps.store.read, id), (deps.now ?? Date.now)())
}

export async function tick(deps: SchedulerDeps): Promise<{ ran: ScheduleRun[]; missed: MissedSummary[] }> {
  const now = (deps.now ?? Date.now)()
  firstTickAt ??= now
  const rows = deps.store.read.prepare('SELECT * FROM report_schedules ORDER BY created_at, id').all() as ScheduleRow[]
  const ran: ScheduleRun[] = []
  const missed: MissedSummary[] = []
  for (const row of rows) {
    if (busy.has(row.id)) continue
    const cron = cronOf(row.cron, row.timezone)
    const due: number[] = []
    for (let next = cron.nextRun(new Date(row.checked_until)); next && next.getTime() <= now && due.length < MAX_OCCURRENCES; next = cron.nextRun(next)) due.push(next.getTime())
    if (due.length === 0) continue
    const latest = due[due.length - 1]
    const claimed = await deps.writes.run(() => claim(deps.store.write, row.id, row.checked_until, latest))
    if (!claimed) continue // another process on this database took them
    const runLatest = now - latest <= GRACE_MS
    const skipped = runLatest ? due.slice(0, -1) : due
    if (skipped.length) {
      const reason = skipped[0] < firstTickAt ? 'Swarmscope was not running' : 'the previous report of this schedule was still being made'
      await deps.writes.run(() => deps.store.write.transaction(() => {
        for (const d of skipped) recordRun(deps.store.write, { scheduleId: row.id, dueAt: d, ranAt: null, status: 'missed', file: null, emailedTo: [], message: `missed: ${reason}` })
      })())
      missed.push({ scheduleId: row.id, name: row.name, count: skipped.length, first: new Date(skipped[0]).toISOString(), last: new Date(skipped[skipped.length - 1]).toISOString(), reason })
    }
    if (runLatest) ran.push(await deliverOccurrence(deps, { ...row, checked_until: latest }, latest))
  }
  return { ran, missed }
}
