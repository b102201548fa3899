import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ReportModel } from '../../src/shared/report-model'
import { EVIL, type RunFacts, writeRunFile } from './fixture'
import { cliOk, inkShare, flat, withPage } from './helpers'

// Every template in every format, made by the real CLI from runs imported by the real CLI, and
// checked with the tools a reader would use: a JSON parser, Chromium, pdftoppm and pdftotext.

let dir: string
let db: string
let r1: RunFacts
let r2: RunFacts
const formats = ['json', 'md', 'html', 'pdf'] as const
const cases = [
  { template: 'executive', target: () => r1.runId },
  { template: 'full', target: () => r1.runId },
  { template: 'comparison', target: () => `${r1.runId}..${r2.runId}` },
]
const out = (template: string, format: string) => join(dir, 'out', `${template}.${format}`)

beforeAll(() => {
  // One folder for the whole file: the reports are made once and read by every test.
  dir = mkdtempSync(join(tmpdir(), 'swarmscope-reports-'))
  db = join(dir, 'reports.db')
  const a = writeRunFile(dir, { runId: 'nightly-1', name: 'Nightly <b>one</b>', seed: 11 })
  const b = writeRunFile(dir, { runId: 'nightly-2', name: 'Nightly two', seed: 12, slow: 1.6 })
  r1 = a.facts
  r2 = b.facts
  cliOk(['--db', db, 'import', a.file, '--group', 'base'])
  cliOk(['--db', db, 'import', b.file, '--group', 'candidate'])
  for (const c of cases) for (const f of formats) cliOk(['--db', db, 'report', c.target(), '--template', c.template, '--format', f, '--out', out(c.template, f)])
}, 240_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('swarmscope report: each template in every format', () => {
  it('JSON is the versioned report model, with the run’s own numbers', () => {
    for (const c of cases) {
      const model = ReportModel.parse(JSON.parse(readFileSync(out(c.template, 'json'), 'utf8')))
      expect(model.template.id).toBe(c.template)
      expect(model.schemaVersion).toBe(1)
      if (c.template !== 'comparison') {
        expect(model.scope).toMatchObject({ kind: 'run', target: r1.runId })
        expect(model.kpis.find((k) => k.id === 'cost')?.value).toBeCloseTo(r1.costUsd, 9)
        expect(model.kpis.find((k) => k.id === 'llm-calls')?.value).toBe(r1.llmCalls)
        expect(model.title).toContain(r1.name)
      } else {
        expect(model.scope).toMatchObject({ kind: 'comparison', baseline: r1.runId, candidates: [r2.runId] })
        expect(model.verdicts.length).toBeGreaterThan(0)
        expect(model.verdicts.every((v) => v.candidateRef === r2.runId)).toBe(true)
      }
    }
    const executive = ReportModel.parse(JSON.parse(readFileSync(out('executive', 'json'), 'utf8')))
    const full = ReportModel.parse(JSON.parse(readFileSync(out('full', 'json'), 'utf8')))
    expect(executive.kpis.length).toBeLessThanOrEqual(6)
    expect(executive.charts.length).toBeLessThanOrEqual(2)
    expect(full.tables.map((t) => t.id)).toEqual(expect.arrayContaining(['agents', 'tools', 'models']))
    expect(full.insights.every((i) => i.confidence >= 0 && i.confidence <= 1 && i.confidenceMethod.length > 0)).toBe(true)
    // The agents table lists each agent of the file with its cost.
    const agents = full.tables.find((t) => t.id === 'agents')!
    expect(agents.rows.map((r) => String(r[0].v).replace(/^(· )+/, '')).sort()).toEqual([...r1.agentNames].sort())
  })

  it('Markdown has GFM tables and its charts as SVG files beside it', () => {
    for (const c of cases) {
      const md = readFileSync(out(c.template, 'md'), 'utf8')
      expect(md).toMatch(/^# /)
      expect(md).toMatch(/^\|---/m)
      const links = [...md.matchAll(/!\[[^\]]*\]\(([^)]+\.svg)\)/g)].map((m) => m[1])
      expect(links.length).toBeGreaterThan(0)
      for (const l of links) expect(readFileSync(join(dir, 'out', l), 'utf8')).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/)
    }
  })

  it('HTML is one self-contained file; a hostile agent name is text, never an element', async () => {
    await withPage(async (page) => {
      for (const c of cases) {
        const file = out(c.template, 'html')
        expect(readFileSync(file, 'utf8')).not.toMatch(/<(script|link|iframe)\b/i)
        await page.goto(pathToFileURL(file).href)
        const facts = await page.evaluate(() => ({
          imgs: document.querySelectorAll('img').length,
          handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
          svgs: document.querySelectorAll('figure svg').length,
          text: document.body.innerText,
        }))
        expect(facts.imgs).toBe(0)
        expect(facts.handlers).toBe(0)
        const model = ReportModel.parse(JSON.parse(readFileSync(out(c.template, 'json'), 'utf8')))
        expect(facts.svgs).toBe(model.charts.length)
        if (c.template === 'full') expect(flat(facts.text)).toContain(EVIL)
        expect(flat(facts.text)).toContain(c.template === 'comparison' ? r2.runId : r1.name)
      }
    })
  })

  it('PDF pages are not blank and their text holds the run name, its total cost and the hostile name as text', () => {
    mkdirSync(join(dir, 'pages'))
    for (const c of cases) {
      const pdf = out(c.template, 'pdf')
      expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-')
      const prefix = join(dir, 'pages', c.template)
      expect(spawnSync('pdftoppm', ['-gray', '-r', '30', pdf, prefix]).status).toBe(0)
      const pages = readdirSync(join(dir, 'pages')).filter((f) => f.startsWith(`${c.template}-`))
      expect(pages.length).toBeGreaterThan(0)
      if (c.template === 'executive') expect(pages.length).toBeLessThanOrEqual(2)
      for (const p of pages) expect(inkShare(join(dir, 'pages', p))).toBeGreaterThan(0.002)
      // -raw keeps the order Chromium drew the text in, so a table cell that wraps stays whole.
      const text = flat(spawnSync('pdftotext', ['-raw', pdf, '-'], { encoding: 'utf8' }).stdout)
      if (c.template === 'comparison') {
        expect(text).toContain(`Comparison report: ${r1.runId} vs ${r2.runId}`)
      } else {
        expect(text).toContain(r1.name)
        expect(text).toContain(`$${r1.costUsd.toFixed(2)}`)
      }
      if (c.template === 'full') expect(text).toContain(EVIL)
    }
  })

  it('a group report lists its runs', () => {
    const file = join(dir, 'out', 'group.md')
    cliOk(['--db', db, 'report', 'group:base', '--format', 'md', '--out', file])
    const md = readFileSync(file, 'utf8')
    expect(md).toContain('Group base: 1 run cost')
    expect(md).toContain(`| Nightly &lt;b&gt;one&lt;/b&gt; |`)
    expect(existsSync(join(dir, 'out', 'group-charts', 'cost-per-run.svg'))).toBe(true)
  })
})
