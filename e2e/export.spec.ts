/// <reference lib="dom" />
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import Database from 'better-sqlite3'
import { generateSwarm } from '../test/helpers/generated-swarm'
import { expect, test } from './host'
import { chartsReady, importItems } from './ui-helpers'

const swarm = generateSwarm({ runId: 'exp-run', name: 'export swarm', seed: 9, subagents: 2, callsPerAgent: 12 })
const other = generateSwarm({ runId: 'exp-other', name: 'export other', seed: 10, subagents: 2, callsPerAgent: 12, latencyFactor: 1.4 })

/** Chooses a format and options in the open dialog, exports, and returns the downloaded bytes. */
async function exportAs(page: Page, format: string, opts: { width?: number; height?: number; scale?: number } = {}): Promise<{ name: string; bytes: Buffer }> {
  const dialog = page.getByTestId('export-dialog')
  await dialog.getByTestId(`export-format-${format}`).check()
  if (opts.width) await dialog.getByTestId('export-width').fill(String(opts.width))
  if (opts.height) await dialog.getByTestId('export-height').fill(String(opts.height))
  if (opts.scale) await dialog.getByTestId('export-scale').selectOption(String(opts.scale))
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('export-go').click()])
  await expect(dialog.getByTestId('export-result')).toContainText('Saved')
  return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) }
}

/** Decodes an image in the page; returns its size and how many distinct colours a 64×64 sample of it has. */
async function imageFacts(page: Page, bytes: Buffer, mime: string) {
  return page.evaluate(async ({ b64, mime }) => {
    const img = new Image()
    img.src = `data:${mime};base64,${b64}`
    await img.decode()
    const c = document.createElement('canvas')
    c.width = 64
    c.height = 64
    const ctx = c.getContext('2d')!
    ctx.drawImage(img, 0, 0, 64, 64)
    const px = ctx.getImageData(0, 0, 64, 64).data
    const colours = new Set<number>()
    for (let i = 0; i < px.length; i += 4) colours.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2])
    return { width: img.naturalWidth, height: img.naturalHeight, colours: colours.size }
  }, { b64: bytes.toString('base64'), mime })
}

/** A CSV parser written here (quotes, doubled quotes, CRLF), independent of the app's writer. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(field)
      field = ''
    } else if (ch === '\n') {
      row.push(field.replace(/\r$/, ''))
      rows.push(row)
      row = []
      field = ''
    } else field += ch
  }
  return rows
}

test('export a chart as PNG, SVG, JPEG, CSV and JSON; the dashboard and the run report', async ({ page, host }) => {
  await page.goto(host.url)
  await importItems(page, [{ name: 'exp.ndjson', text: swarm.ndjson }], 1)
  await chartsReady(page)
  const widget = page.getByTestId('widget-tokens-per-agent')
  await widget.hover()
  await widget.getByTestId('widget-export').click()

  const png = await exportAs(page, 'png', { width: 800, height: 400, scale: 2 })
  expect(png.bytes.subarray(1, 4).toString()).toBe('PNG')
  expect([png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)]).toEqual([1600, 800])
  const pngFacts = await imageFacts(page, png.bytes, 'image/png')
  expect(pngFacts.colours, 'the PNG is not blank').toBeGreaterThan(8)

  const jpeg = await exportAs(page, 'jpeg', { width: 640, height: 360, scale: 1 })
  expect(jpeg.bytes.subarray(0, 2).toString('hex')).toBe('ffd8')
  expect(await imageFacts(page, jpeg.bytes, 'image/jpeg')).toMatchObject({ width: 640, height: 360 })

  const svg = await exportAs(page, 'svg', { width: 700, height: 350 })
  const svgText = svg.bytes.toString('utf8')
  expect(svgText).toMatch(/^<svg[^>]*width="700"[^>]*height="350"/)
  expect(svgText).toContain('worker 1')

  const csv = parseCsv((await exportAs(page, 'csv')).bytes.toString('utf8'))
  expect(csv[0]).toEqual(['agent', 'input', 'output', 'cache_write', 'cache_read', 'cost_usd'])
  expect(csv.length - 1).toBe(swarm.facts.agents)
  const inputSum = csv.slice(1).reduce((t, r) => t + Number(r[1]), 0)
  expect(inputSum).toBe(swarm.facts.inputTokens)
  const json = JSON.parse((await exportAs(page, 'json')).bytes.toString('utf8')) as { agent: string; cost_usd: number }[]
  expect(json.find((r) => r.agent === 'main')!.cost_usd).toBeCloseTo(swarm.facts.perAgent.main.costUsd, 6)

  // The whole dashboard as one picture.
  await page.getByTestId('export-what-dashboard').check()
  const dash = await exportAs(page, 'png', { width: 1200, scale: 1 })
  const dashFacts = await imageFacts(page, dash.bytes, 'image/png')
  expect(dashFacts.width).toBe(1200)
  expect(dashFacts.colours).toBeGreaterThan(8)

  // The run report: JSON carries the run's figures, HTML and Markdown name it.
  await page.getByTestId('export-what-run').check()
  const report = JSON.parse((await exportAs(page, 'json')).bytes.toString('utf8')) as Record<string, unknown>
  expect(JSON.stringify(report)).toContain(String(swarm.facts.llmCalls))
  expect((await exportAs(page, 'html')).bytes.toString('utf8')).toContain('export swarm')
  expect((await exportAs(page, 'md')).bytes.toString('utf8')).toContain('export swarm')
  const dialog = page.getByTestId('export-dialog')
  await dialog.getByTestId('export-format-pdf').check()
  if (await dialog.getByTestId('export-go').isEnabled()) {
    const pdf = await exportAs(page, 'pdf')
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-')
  } else {
    await expect(dialog).toContainText('PDF comes from the reports engine')
  }
  await page.screenshot({ path: 'e2e/artifacts/export-dialog.png' })
})

test('the dashboard exports every chart, those below the fold too before they have drawn', async ({ page, host }) => {
  await page.goto(host.url)
  await importItems(page, [{ name: 'exp.ndjson', text: swarm.ndjson }], 1)
  await expect(page.getByTestId('chart-tokens-over-time')).toHaveAttribute('data-ready', '1')
  await expect(page.getByTestId('chart-agent-activity')).toHaveAttribute('data-ready', '0')
  const charts = await page.locator('.widget .chart').count()
  expect(charts).toBeGreaterThanOrEqual(9)
  await page.getByTestId('export-dashboard').click()
  await page.getByTestId('export-what-dashboard').check()
  const dash = await exportAs(page, 'png', { width: 1200, scale: 1 })
  // Two charts a row under a 48 px heading, each 600×360 under a 28 px title: every chart is in.
  expect(await imageFacts(page, dash.bytes, 'image/png')).toMatchObject({ width: 1200, height: 48 + Math.ceil(charts / 2) * (360 + 28) })
  await expect(page.getByTestId('chart-agent-activity')).toHaveAttribute('data-ready', '0')
})

test('export a comparison as CSV and JSON', async ({ page, host }) => {
  await page.goto(host.url)
  await importItems(page, [swarm, other].map((r) => ({ name: `${r.facts.runId}.ndjson`, text: r.ndjson })), 2)
  await page.goto(`${host.url}#/compare?b=exp-run&c=exp-other`)
  await page.getByTestId('export-comparison').click()
  const csv = parseCsv((await exportAs(page, 'csv')).bytes.toString('utf8'))
  const latency = csv.find((r) => r[1] === 'llm_latency_ms')!
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
  expect(Number(latency[3])).toBeCloseTo(mean(swarm.facts.llmLatencies), 6)
  expect(Number(latency[4])).toBeCloseTo(mean(other.facts.llmLatencies), 6)
  // JSON from the reports engine where this build has it, else the comparison itself: either names both runs.
  const json = JSON.stringify(JSON.parse((await exportAs(page, 'json')).bytes.toString('utf8')))
  expect(json).toContain('exp-other')
  expect(json).toContain('exp-run')
})

test('anonymized exports: reports, CSV, NDJSON and bundles name no run or agent, with the same figures', async ({ page, host }) => {
  await page.goto(host.url)
  await importItems(page, [swarm, other].map((r) => ({ name: `${r.facts.runId}.ndjson`, text: r.ndjson })), 2)
  const names = ['export swarm', 'export other', 'exp-run', 'exp-other', 'worker 1', 'worker 2']
  const named = (text: string) => names.filter((n) => text.includes(n))
  await page.goto(`${host.url}#/run/exp-run`)
  await chartsReady(page)
  await page.getByTestId('export-dashboard').click()
  const dialog = page.getByTestId('export-dialog')
  // A picture shows what is on screen: it has no Anonymize box.
  await dialog.getByTestId('export-format-png').check()
  await expect(dialog.getByTestId('export-anonymize')).toHaveCount(0)

  await dialog.getByTestId('export-what-run').check()
  await dialog.getByTestId('export-format-html').check()
  await dialog.getByTestId('export-anonymize').check()
  await dialog.getByTestId('export-salt').fill('e2e-salt')
  const html = await exportAs(page, 'html')
  expect(html.name).toBe('anonymized-run-report.html')
  expect(named(html.bytes.toString('utf8'))).toEqual([])
  expect(html.bytes.toString('utf8')).toMatch(/Full report: run-[0-9a-f]{4}/)
  const report = JSON.parse((await exportAs(page, 'json')).bytes.toString('utf8')) as { kpis: { id: string; value: number | null }[] }
  expect(named(JSON.stringify(report))).toEqual([])
  expect(report.kpis.find((k) => k.id === 'llm-calls')?.value).toBe(swarm.facts.llmCalls)
  const md = (await exportAs(page, 'md')).bytes.toString('utf8')
  expect(named(md)).toEqual([])

  const csvText = (await exportAs(page, 'csv')).bytes.toString('utf8')
  expect(named(csvText)).toEqual([])
  const csv = parseCsv(csvText)
  const input = csv[0].indexOf('input_tokens')
  expect(csv.slice(1).reduce((t, r) => t + Number(r[input] || 0), 0)).toBe(swarm.facts.inputTokens)

  // The bundle is a real .swarmscope file whose rows carry pseudonyms.
  const bundle = await exportAs(page, 'bundle')
  expect(bundle.name).toBe('anonymized-run.swarmscope')
  expect(bundle.bytes.subarray(0, 15).toString()).toBe('SQLite format 3')
  expect(named(bundle.bytes.toString('latin1'))).toEqual([])
  const bundleDir = mkdtempSync(join(tmpdir(), 'swarmscope-e2e-bundle-'))
  const file = join(bundleDir, 'b.swarmscope')
  writeFileSync(file, bundle.bytes)
  const db = new Database(file, { readonly: true })
  try {
    const agents = db.prepare('SELECT name, type FROM agents ORDER BY type').all() as { name: string; type: string }[]
    expect(agents.map((a) => a.type)).toEqual(['coordinator', 'worker', 'worker'])
    expect(agents.every((a) => /^agent-[0-9a-f]{4,}$/.test(a.name))).toBe(true)
    expect(db.prepare('SELECT SUM(input_tokens) FROM spans').pluck().get()).toBe(swarm.facts.inputTokens)
  } finally {
    db.close()
    rmSync(bundleDir, { recursive: true, force: true })
  }
  await dialog.getByRole('button', { name: 'Close' }).click()

  // From the library: the selected runs as NDJSON, anonymized (the box stays ticked while the app is open).
  await page.getByTestId('nav-library').click()
  await page.locator('[data-run-id="exp-run"] input[type=checkbox]').check()
  await page.locator('[data-run-id="exp-other"] input[type=checkbox]').check()
  await page.getByRole('button', { name: 'Export', exact: true }).click()
  await dialog.getByTestId('export-format-json').check()
  await expect(dialog.getByTestId('export-anonymize')).toHaveCount(0) // the list as shown: no box
  await dialog.getByTestId('export-format-ndjson').check()
  await expect(dialog.getByTestId('export-anonymize')).toBeChecked()
  const nd = (await exportAs(page, 'ndjson')).bytes.toString('utf8')
  expect(named(nd)).toEqual([])
  expect(nd.split('\n').filter((l) => l.includes('"type":"span"')).length).toBeGreaterThan(10)
})
