import { randomBytes } from 'node:crypto'
import type { Database } from 'better-sqlite3'
import { Cron } from 'croner'
import type { AnonymizeRequest } from '../../../shared/anonymize'
import type { Schedule, ScheduleRun, ScheduleSpec } from '../../../shared/routes/reports'
import { CoreError } from '../../../shared/result'

// Scheduled reports in the store (migration 0003; 0006 added `anonymize`). A schedule's
// `checked_until` says up to when its occurrences have been dealt with; everything after it is
// still to run, or was missed.

export interface ScheduleRow {
  id: string
  name: string
  cron: string
  timezone: string | null
  target: string
  template: string | null
  format: 'json' | 'md' | 'html' | 'pdf'
  out_dir: string | null
  email_to: string
  smtp_url: string | null
  email_from: string | null
  created_at: number
  checked_until: number
  /** JSON { salt?, keepGroups?, keepTags? } of an anonymized schedule; null for a plain one. */
  anonymize: string | null
}

/** What an anonymized schedule asks of every delivery; undefined for a plain one. */
export const anonymizeOf = (r: ScheduleRow): AnonymizeRequest | undefined => (r.anonymize ? (JSON.parse(r.anonymize) as AnonymizeRequest) : undefined)

/** The pattern as an evaluator only: no callback, so croner starts no timer of its own. */
export function cronOf(pattern: string, timezone: string | null): Cron {
  try {
    return new Cron(pattern, { paused: true, ...(timezone ? { timezone } : {}) })
  } catch (e) {
    throw new CoreError('bad_request', `invalid cron expression "${pattern}"${timezone ? ` in ${timezone}` : ''}: ${(e as Error).message}`)
  }
}

const maskPassword = (url: string) => url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1****@')
const iso = (ms: number) => new Date(ms).toISOString()

function toSchedule(db: Database, r: ScheduleRow, now: number): Schedule {
  const next = cronOf(r.cron, r.timezone).nextRun(new Date(Math.max(now, r.checked_until)))
  const a = anonymizeOf(r)
  const missed = (db.prepare("SELECT COUNT(*) FROM report_schedule_runs WHERE schedule_id = ? AND status = 'missed'").pluck().get(r.id) as number)
  return {
    id: r.id, name: r.name, cron: r.cron, target: r.target, format: r.format, emailTo: JSON.parse(r.email_to) as string[],
    ...(r.timezone ? { timezone: r.timezone } : {}), ...(r.template ? { template: r.template } : {}), ...(r.out_dir ? { outDir: r.out_dir } : {}), ...(r.email_from ? { emailFrom: r.email_from } : {}),
    smtp: r.smtp_url ? maskPassword(r.smtp_url) : null, createdAt: iso(r.created_at), checkedUntil: iso(r.checked_until), nextRunAt: next ? next.toISOString() : null, missed,
    anonymize: a ? { salt: a.salt ? 'fixed' : 'per-delivery', keepGroups: a.keepGroups === true, keepTags: a.keepTags === true } : null,
  }
}

export function getScheduleRow(db: Database, id: string): ScheduleRow {
  const row = db.prepare('SELECT * FROM report_schedules WHERE id = ?').get(id) as ScheduleRow | undefined
  if (!row) throw new CoreError('not_found', `no report schedule with id ${id}`)
  return row
}

export function addSchedule(db: Database, spec: Required<Pick<ScheduleSpec, 'format' | 'emailTo'>> & ScheduleSpec, now: number): Schedule {
  cronOf(spec.cron, spec.timezone ?? null)
  if (!spec.outDir && spec.emailTo.length === 0) throw new CoreError('bad_request', 'a schedule needs a folder to write into (outDir) or addresses to email (emailTo), or both')
  const id = `sch_${randomBytes(5).toString('hex')}`
  db.prepare(`INSERT INTO report_schedules (id, name, cron, timezone, target, template, format, out_dir, email_to, smtp_url, email_from, created_at, checked_until, anonymize)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
    id, spec.name, spec.cron, spec.timezone ?? null, spec.target, spec.template ?? null, spec.format, spec.outDir ?? null,
    JSON.stringify(spec.emailTo), spec.smtpUrl ?? null, spec.emailFrom ?? null, now, now,
    spec.anonymize ? JSON.stringify(spec.anonymize) : null,
  )
  return toSchedule(db, getScheduleRow(db, id), now)
}

export const listSchedules = (db: Database, now: number): Schedule[] =>
  (db.prepare('SELECT * FROM report_schedules ORDER BY created_at, id').all() as ScheduleRow[]).map((r) => toSchedule(db, r, now))

export function removeSchedule(db: Database, id: string): boolean {
  getScheduleRow(db, id)
  return db.prepare('DELETE FROM report_schedules WHERE id = ?').run(id).changes > 0
}

interface RunRow { schedule_id: string; due_at: number; ran_at: number | null; status: ScheduleRun['status']; file: string | null; emailed_to: string; message: string | null }

export function scheduleHistory(db: Database, id: string | undefined, limit: number): ScheduleRun[] {
  if (id) getScheduleRow(db, id)
  const rows = db.prepare(`SELECT * FROM report_schedule_runs WHERE (@id IS NULL OR schedule_id = @id) ORDER BY due_at DESC, status LIMIT @limit`).all({ id: id ?? null, limit }) as RunRow[]
  return rows.map((r) => ({ scheduleId: r.schedule_id, dueAt: iso(r.due_at), ranAt: r.ran_at === null ? null : iso(r.ran_at), status: r.status, file: r.file, emailedTo: JSON.parse(r.emailed_to) as string[], message: r.message }))
}

export function recordRun(db: Database, run: { scheduleId: string; dueAt: number; ranAt: number | null; status: ScheduleRun['status']; file: string | null; emailedTo: string[]; message: string | null }): ScheduleRun {
  db.prepare(`INSERT OR REPLACE INTO report_schedule_runs (schedule_id, due_at, ran_at, status, file, emailed_to, message) VALUES (?, ?, ?, ?, ?, ?, ?)`)
    .run(run.scheduleId, run.dueAt, run.ranAt, run.status, run.file, JSON.stringify(run.emailedTo), run.message)
  return { ...run, dueAt: iso(run.dueAt), ranAt: run.ranAt === null ? null : iso(run.ranAt) }
}

/**
 * Claims the occurrences up to `until` for this process: only the caller that moves
 * checked_until from the value it read delivers them, so two processes on one database (the
 * app and `swarmscope serve`) never send the same report twice.
 */
export function claim(db: Database, id: string, from: number, until: number): boolean {
  return db.prepare('UPDATE report_schedules SET checked_until = ? WHERE id = ? AND checked_until = ?').run(until, id, from).changes === 1
}
