import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../src/core'
import type { RouteInput, RouteName, RouteOutput } from '../../src/shared/contract'
import { ReportModel } from '../../src/shared/report-model'
import { tempDir } from '../helpers/temp'
import { cliOk } from './helpers'
import { attachments, smtpServer } from './smtp'

// `report schedule add --anonymize`: the scheduler's own tick renders and delivers the report
// (into a folder and through a real SMTP server), and the delivered bytes are searched for every
// name the run was imported with. The plain delivery of the same run is the reference numbers.

async function ok<R extends RouteName>(core: Core, route: R, input: RouteInput<R>): Promise<RouteOutput<R>> {
  const r = await core.call(route, input)
  if (!r.ok) throw new Error(`${route}: ${r.error.message}`)
  return r.data
}

/** An NDJSON run whose names are unique to this test; the facts a report must show, summed here. */
function writeNamedRun(dir: string) {
  const r = randomBytes(3).toString('hex')
  const names = { runId: `acme-ledger-${r}`, runName: `Acme ledger migration ${r}`, project: `acmeledger${r}`, lead: `ledger-lead-${r}`, lead2: `Priya Lead ${r}`, rev: `ledger-reviewer-${r}`, rev2: `Jonas Reviewer ${r}`, group: `payments-team-${r}` }
  const t0 = Date.UTC(2026, 2, 2, 9)
  const lines: object[] = [
    { v: 1, type: 'run', id: names.runId, name: names.runName, source: 'myswarm', attrs: { project: names.project, cwd: `/srv/${names.project}/src` } },
    { type: 'agent', id: names.lead, name: names.lead2, agentType: 'planner' },
    { type: 'agent', id: names.rev, name: names.rev2, agentType: 'reviewer', parentAgentId: names.lead },
  ]
  let costUsd = 0
  let tokens = 0
  for (let i = 0; i < 12; i++) {
    const agentId = i % 2 ? names.rev : names.lead
    const start = t0 + i * 4000
    const cost = (20_000 + 1000 * i) / 1e6
    costUsd += cost
    tokens += 200 + i + 50 + i
    lines.push(
      { type: 'span', id: `l${i}`, kind: 'llm', name: 'claude-sonnet-4-5', model: 'claude-sonnet-4-5', agentId, start, end: start + 900 + 40 * i, status: 'ok', inputTokens: 200 + i, outputTokens: 50 + i, costUsd: cost },
      { type: 'span', id: `t${i}`, parentId: `l${i}`, kind: 'tool', name: 'Read', agentId, start: start + 1000, end: start + 1300, status: i % 5 ? 'ok' : 'error', error: i % 5 ? undefined : `${names.rev2} could not open /srv/${names.project}/src/app.ts` },
    )
  }
  const file = join(dir, `${names.runId}.ndjson`)
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n')
  return { file, names, facts: { costUsd, llmCalls: 12, toolCalls: 12, tokens } }
}

const delivered = (dir: string) => readdirSync(dir).sort().map((f) => readFileSync(join(dir, f)))
const model = (b: Buffer) => ReportModel.parse(JSON.parse(b.toString('utf8')))
const kpis = (m: ReportModel) => m.kpis.map((k) => [k.id, k.value])
const found = (bytes: Buffer, needles: string[]) => needles.filter((n) => bytes.includes(Buffer.from(n, 'utf8')))

describe('anonymized scheduled reports', () => {
  it('deliver on tick, by file and email, without a real name and with the plain report’s totals', { timeout: 120_000 }, async () => {
    const dir = tempDir()
    const db = join(dir, 's.db')
    const smtp = await smtpServer()
    const { file, names, facts } = writeNamedRun(dir)
    const needles = Object.values(names)
    const every = ['--cron', '* * * * * *', '--timezone', 'UTC', '--format', 'json']
    // The fixed-salt schedule through the CLI, as a user adds it; the others through the route.
    cliOk(['--db', db, 'import', file, '--group', names.group])
    const fixed = JSON.parse(cliOk(['--db', db, '--json', 'report', 'schedule', 'add', names.runId, '--name', 'weekly shared', ...every, '--anonymize', '--salt', 'q3-salt-7c1',
      '--out-dir', join(dir, 'fixed'), '--email', 'partner@example.test', '--smtp', `smtp://127.0.0.1:${smtp.port}`]).stdout) as RouteOutput<'reports.schedules.add'>
    expect(fixed.anonymize).toEqual({ salt: 'fixed', keepGroups: false, keepTags: false })

    const core = createCore({ path: db })
    try {
      const base = { cron: '* * * * * *', timezone: 'UTC', target: names.runId, format: 'json' as const }
      const plain = await ok(core, 'reports.schedules.add', { ...base, name: 'plain', outDir: join(dir, 'plain') })
      const fresh = await ok(core, 'reports.schedules.add', { ...base, name: 'fresh', outDir: join(dir, 'fresh'), anonymize: {} })
      const listed = await ok(core, 'reports.schedules.list', {})
      expect(listed.map((s) => [s.id, s.anonymize?.salt ?? null])).toEqual([[fixed.id, 'fixed'], [plain.id, null], [fresh.id, 'per-delivery']])
      const table = cliOk(['--db', db, 'report', 'schedule', 'list']).stdout
      expect(table).toContain('yes, fixed salt')
      expect(table).toContain('yes, new salt each time')
      expect(table).not.toContain('q3-salt-7c1') // the salt is not shown, like the SMTP password

      // The scheduler's own pass, every second, until each schedule has delivered twice.
      const ok2 = new Map<string, number>()
      for (const end = Date.now() + 60_000; [fixed, plain, fresh].some((s) => (ok2.get(s.id) ?? 0) < 2);) {
        if (Date.now() > end) throw new Error(`deliveries so far: ${JSON.stringify([...ok2])}`)
        await new Promise((r) => setTimeout(r, 1100))
        const tick = await ok(core, 'reports.schedules.tick', {})
        for (const r of tick.ran) {
          expect(r.status, r.message ?? '').toBe('ok')
          ok2.set(r.scheduleId, (ok2.get(r.scheduleId) ?? 0) + 1)
        }
      }
    } finally {
      core.close()
      await smtp.close()
    }

    const [plain1] = delivered(join(dir, 'plain'))
    const fixedFiles = delivered(join(dir, 'fixed'))
    const freshFiles = delivered(join(dir, 'fresh'))
    // The names are in the data: the plain report shows them.
    expect(found(plain1, [names.runId, names.runName, names.lead2, names.rev2])).toHaveLength(4)
    expect(smtp.messages.length).toBeGreaterThanOrEqual(2)
    const mail = smtp.messages.map((m) => m.toString('latin1'))
    const emailed = mail.flatMap(attachments)
    expect(emailed[0].bytes.equals(fixedFiles[0])).toBe(true) // the email carries the file as written
    for (const b of [...fixedFiles, ...freshFiles, ...emailed.map((a) => a.bytes), ...smtp.messages]) expect(found(b, needles)).toEqual([])

    const p = model(plain1)
    const anon = [...fixedFiles, ...freshFiles].map(model)
    for (const m of anon) {
      expect(kpis(m)).toEqual(kpis(p))
      expect(m.title).toMatch(/^Full report: run-[0-9a-f]{4,}$/)
    }
    const kpi = (id: string) => p.kpis.find((k) => k.id === id)?.value
    expect(kpi('cost')).toBeCloseTo(facts.costUsd, 9)
    expect([kpi('llm-calls'), kpi('tool-calls'), kpi('tokens')]).toEqual([facts.llmCalls, facts.toolCalls, facts.tokens])
    // A fixed salt: every delivery under the same pseudonyms. Without one: a fresh salt each time.
    const withoutTime = (m: ReportModel) => JSON.stringify({ ...m, generatedAt: '' })
    expect(withoutTime(anon[0])).toBe(withoutTime(anon[1]))
    expect(anon[2].title).not.toBe(anon[3].title)
    expect(anon[0].title).not.toBe(anon[2].title)
  })
})
