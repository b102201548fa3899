import { describe, expect, it } from 'vitest'
import { createCore } from '../../src/core'
import { ReportModel } from '../../src/shared/report-model'
import { tempDb, tempDir } from '../helpers/temp'
import { collectOutputs, leaks, ndjsonTotals, numbers, ok, type Targets } from './outputs'
import { USER, plantIdentities, plantSecrets, writeNdjsonRun, writeTranscript } from './planted'

// What leaves the machine, under each content policy: no planted secret in any report (JSON,
// Markdown and its chart SVGs, HTML, PDF text), export (CSV, NDJSON, OTLP) or bundle. Anonymized,
// no project, agent, run, session, host, group, tag or user name either, and every total the same.

const POLICIES = ['none', 'redacted', 'full'] as const

async function setUp(content: (typeof POLICIES)[number]) {
  const planted = plantSecrets()
  const id = plantIdentities()
  const dir = tempDir()
  const t = writeTranscript(dir, planted)
  writeNdjsonRun(dir, planted, id)
  const core = createCore({ path: tempDb() })
  const imported = await ok(core, 'import.paths', { paths: [dir], content, group: id.group, tags: { owner: id.tag } })
  expect(imported.runs.map((r) => r.id).sort()).toEqual([t.runId, id.runId].sort())
  const targets: Targets = { run: t.runId, group: id.group, comparison: `${t.runId}..${id.runId}`, runs: [t.runId, id.runId] }
  const secrets = planted.flatMap((x) => x.needles)
  // 'main' is kept on purpose (an agent *type*); every other name that says who or where must go.
  const names = ['webapp', USER, t.session, t.session.slice(0, 8), t.runId, id.runId, id.runName, id.host, id.agent, id.group, id.tag, 'sub1']
  return { core, targets, secrets, names, t, id }
}

describe.each(POLICIES)("every output of runs imported under '%s'", (policy) => {
  it('holds no planted secret, and anonymized no name either, with the same totals', async () => {
    const { core, targets, secrets, names } = await setUp(policy)
    try {
      const plain = await collectOutputs(core, targets)
      expect(leaks(plain.outputs, secrets)).toEqual([])
      // The plain outputs do name the runs (the needles are real): anonymizing has something to remove.
      expect(leaks(plain.outputs, names).length).toBeGreaterThan(20)

      const anon = await collectOutputs(core, targets, { salt: `salt-${policy}` })
      expect(leaks(anon.outputs, secrets)).toEqual([])
      expect(leaks(anon.outputs, names)).toEqual([])
      expect(anon.outputs.map((o) => o.name)).toEqual(plain.outputs.map((o) => o.name))

      // Numbers and times are exact: every figure of the report, every summed column of the exports.
      const [a, b] = [ReportModel.parse(JSON.parse(plain.reportJson)), ReportModel.parse(JSON.parse(anon.reportJson))]
      expect(numbers({ ...b, generatedAt: 0 })).toEqual(numbers({ ...a, generatedAt: 0 }))
      expect(b.kpis.map((k) => [k.id, k.value])).toEqual(a.kpis.map((k) => [k.id, k.value]))
      expect(ndjsonTotals(anon.ndjson)).toEqual(ndjsonTotals(plain.ndjson))
      const numericColumns = (csv: string) => csv.trim().split('\r\n').slice(1).map((row) => row.split(',').filter((c) => /^-?[\d.]+(e-?\d+)?$/.test(c) || /^\d{4}-\d\d-\d\dT/.test(c)))
      expect(numericColumns(anon.runsCsv)).toEqual(numericColumns(plain.runsCsv))
      expect(numbers(JSON.parse(anon.otlp))).toEqual(numbers(JSON.parse(plain.otlp)))
    } finally {
      core.close()
    }
  }, 120_000)
})

describe('anonymized reports and the report cache', () => {
  it('are never served from the cache nor stored in it, and a plain render afterwards is not anonymized', async () => {
    const { core, targets, id } = await setUp('none')
    try {
      const plain = await ok(core, 'reports.render', { target: targets.run, format: 'json' })
      const anon = await ok(core, 'reports.render', { target: targets.run, format: 'json', anonymize: { salt: 'c' } })
      expect(anon.cached).toBe(false)
      expect(anon.content).not.toBe(plain.content)
      const again = await ok(core, 'reports.render', { target: targets.run, format: 'json' })
      expect(again.cached).toBe(true)
      expect(again.content).toBe(plain.content)
      const anonGroup = await ok(core, 'reports.render', { target: `group:${id.group}`, format: 'md', anonymize: {} })
      expect(anonGroup.content).not.toContain(id.group)
      const plainGroup = await ok(core, 'reports.render', { target: `group:${id.group}`, format: 'md' })
      expect(plainGroup.cached).toBe(false)
      expect(plainGroup.content).toContain(id.group)
    } finally {
      core.close()
    }
  }, 60_000)

  it('gives the mapping only when asked, and it names the real values', async () => {
    const { core, targets, id } = await setUp('none')
    try {
      const without = await ok(core, 'reports.render', { target: targets.run, format: 'md', anonymize: { salt: 'm' } })
      expect(without.mapping).toBeUndefined()
      const { mapping } = await ok(core, 'export.runs', { runs: targets.runs, format: 'ndjson', anonymize: { salt: 'm', mapping: true } })
      const host = mapping!.find((m) => m.value === id.host)!
      expect(host.kind).toBe('host')
      expect(without.content).not.toContain(id.host)
      const run = mapping!.find((m) => m.value === targets.run)!
      expect(without.content).toContain(run.pseudonym)
    } finally {
      core.close()
    }
  }, 60_000)

  it('refuses unknown anonymize options by name', async () => {
    const { core, targets } = await setUp('none')
    try {
      const r = await core.call('export.runs', { runs: targets.runs, format: 'csv', anonymize: { salt: 's', keepNames: true } as never })
      expect(r.ok).toBe(false)
      if (!r.ok) expect(r.error.message).toMatch(/anonymize.*keepNames/)
      const empty = await core.call('reports.render', { target: targets.run, anonymize: { salt: '' } })
      expect(empty.ok).toBe(false)
      if (!empty.ok) expect(empty.error.message).toContain('anonymize.salt')
    } finally {
      core.close()
    }
  }, 60_000)
})
