import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { createCore } from '../../src/core'
import { tempDir } from '../helpers/temp'
import { writeRunFile } from './fixture'
import { cliOk } from './helpers'
import { attachments, smtpServer } from './smtp'

const BIN = new URL('../../bin/swarmscope.mjs', import.meta.url).pathname

async function until<T>(what: string, f: () => T | undefined, ms: number): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = f()
    if (v !== undefined) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

describe('scheduled reports', () => {
  it('swarmscope serve makes a due report, writes it into the folder and emails the same PDF', async () => {
    const dir = tempDir()
    const db = join(dir, 's.db')
    const smtp = await smtpServer()
    const { file, facts } = writeRunFile(dir, { runId: 'sched-run', name: 'scheduled run', seed: 9, calls: 15 })
    cliOk(['--db', db, 'import', file])
    const schedule = JSON.parse(cliOk(['--db', db, '--json', 'report', 'schedule', 'add', 'latest', '--name', 'daily digest', '--cron', '* * * * * *', '--timezone', 'UTC',
      '--template', 'executive', '--format', 'pdf', '--out-dir', join(dir, 'reports'), '--email', 'team@example.test', '--smtp', `smtp://127.0.0.1:${smtp.port}`]).stdout)
    expect(schedule).toMatchObject({ name: 'daily digest', format: 'pdf', template: 'executive', emailTo: ['team@example.test'], smtp: `smtp://127.0.0.1:${smtp.port}` })
    const serve = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--no-open', '--db', db], { env: { ...process.env, SWARMSCOPE_TOKEN: 'test-token' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let log = ''
    serve.stdout.on('data', (d) => (log += String(d)))
    serve.stderr.on('data', (d) => (log += String(d)))
    try {
      const message = await until('the scheduled email', () => smtp.messages[0], 100_000).catch((e: Error) => {
        throw new Error(`${e.message}; serve said:\n${log}`)
      })
      const raw = message.toString('latin1')
      expect(raw).toMatch(/^To: team@example\.test/m)
      expect(raw).toMatch(/^Subject: Swarmscope report: daily digest/m)
      const [pdf] = attachments(raw)
      expect(pdf.type).toBe('application/pdf')
      expect(pdf.filename).toMatch(/^daily-digest-\d{8}T\d{6}Z\.pdf$/)
      // Byte for byte the file the same run wrote into the folder.
      const written = readFileSync(join(dir, 'reports', pdf.filename))
      expect(pdf.bytes.equals(written)).toBe(true)
      expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-')
      // The SMTP server holds the mail before the scheduler prints its line: wait for the line.
      const logged = new RegExp(`report schedule ${schedule.id}: ok → .*${pdf.filename}, emailed team@example\\.test`)
      await until('the delivery log line', () => (logged.test(log) ? true : undefined), 30_000)
      expect(log).toMatch(logged)
    } finally {
      serve.kill('SIGTERM')
      await smtp.close()
    }
    const history = JSON.parse(cliOk(['--db', db, '--json', 'report', 'schedule', 'history', schedule.id]).stdout) as { status: string; file: string | null; emailedTo: string[] }[]
    const delivered = history.filter((h) => h.status === 'ok')
    expect(delivered.length).toBeGreaterThan(0)
    expect(delivered.every((h) => h.emailedTo.join() === 'team@example.test' && h.file !== null && basename(h.file).startsWith('daily-digest-'))).toBe(true)
    expect(facts.runId).toBe('sched-run')
  }, 150_000)

  it('records the runs missed while Swarmscope was closed, and lists them', async () => {
    const dir = tempDir()
    const db = join(dir, 'm.db')
    // A daily report at a time twelve hours from now, so no occurrence is near either end of the window.
    const hour = (new Date().getUTCHours() + 12) % 24
    const days = 5
    const schedule = JSON.parse(cliOk(['--db', db, '--json', 'report', 'schedule', 'add', 'latest', '--name', 'morning', '--cron', `0 ${hour} * * *`, '--timezone', 'UTC', '--out-dir', join(dir, 'out')]).stdout)
    // The app was closed for five days: its last check was then.
    const store = new Database(db)
    store.prepare('UPDATE report_schedules SET checked_until = checked_until - ? WHERE id = ?').run(days * 86_400_000, schedule.id)
    const from = store.prepare('SELECT checked_until FROM report_schedules WHERE id = ?').pluck().get(schedule.id) as number
    store.close()
    const expected: string[] = []
    for (let t = Date.UTC(new Date(from).getUTCFullYear(), new Date(from).getUTCMonth(), new Date(from).getUTCDate(), hour); t <= Date.now(); t += 86_400_000) if (t > from) expected.push(new Date(t).toISOString())

    const core = createCore({ path: db })
    try {
      const tick = await core.call('reports.schedules.tick', {})
      expect(tick).toMatchObject({ ok: true, data: { ran: [], missed: [{ scheduleId: schedule.id, name: 'morning', count: expected.length, first: expected[0], last: expected.at(-1), reason: 'Swarmscope was not running' }] } })
      // Recorded once: the next pass finds nothing new.
      expect(await core.call('reports.schedules.tick', {})).toMatchObject({ ok: true, data: { ran: [], missed: [] } })
    } finally {
      core.close()
    }
    expect(expected.length).toBe(days)
    const [listed] = JSON.parse(cliOk(['--db', db, '--json', 'report', 'schedule', 'list']).stdout)
    expect(listed).toMatchObject({ id: schedule.id, missed: days })
    const history = JSON.parse(cliOk(['--db', db, '--json', 'report', 'schedule', 'history']).stdout) as { dueAt: string; status: string; message: string }[]
    expect(history.map((h) => h.dueAt).sort()).toEqual(expected)
    expect(history.every((h) => h.status === 'missed' && h.message === 'missed: Swarmscope was not running')).toBe(true)
  }, 60_000)

  it('refuses a bad cron expression and a schedule that delivers nowhere, and reports a failed delivery', async () => {
    const dir = tempDir()
    const core = createCore({ path: join(dir, 'e.db') })
    try {
      expect(await core.call('reports.schedules.add', { name: 'x', cron: '61 * * * *', target: 'latest', outDir: dir })).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringContaining('invalid cron expression "61 * * * *"') } })
      expect(await core.call('reports.schedules.add', { name: 'x', cron: '0 8 * * *', target: 'latest' })).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringContaining('needs a folder to write into') } })
      expect(await core.call('reports.schedules.add', { name: 'x', cron: '0 8 * * *', target: 'latest', template: 'exectuive', outDir: dir })).toMatchObject({ ok: false, error: { code: 'not_found', message: expect.stringContaining('no template "exectuive"') } })
      const { file } = writeRunFile(dir, { runId: 'e1', name: 'e1', seed: 1, calls: 6 })
      await core.call('import.paths', { paths: [file] })
      const added = await core.call('reports.schedules.add', { name: 'mail only', cron: '0 8 * * *', target: 'latest', format: 'json', emailTo: ['a@example.test'] })
      if (!added.ok) throw new Error(added.error.message)
      const env = { ...process.env }
      delete process.env.SWARMSCOPE_SMTP_URL
      try {
        const r = await core.call('reports.schedules.run', { id: added.data.id })
        expect(r).toMatchObject({ ok: true, data: { status: 'failed', emailedTo: [], message: expect.stringContaining('SWARMSCOPE_SMTP_URL') } })
      } finally {
        process.env = env
      }
    } finally {
      core.close()
    }
  })
})
