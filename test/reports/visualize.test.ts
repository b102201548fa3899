import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCore } from '../../src/core'
import { type RunFacts, writeRunFile } from './fixture'
import { cli, cliOk, withPage } from './helpers'

// `swarmscope visualize`: every chart kind as SVG from ECharts' server-side renderer, parsed by
// Chromium's XML parser; series counted from the SVG itself (ECharts' SSR marks each drawn
// element with its series index); PNG and JPEG checked by the sizes in their headers.

let dir: string
let db: string
let facts: RunFacts
const kinds = ['line', 'bar', 'scatter', 'pie', 'histogram', 'heatmap', 'area', 'gauge'] as const

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'swarmscope-visualize-'))
  db = join(dir, 'v.db')
  const run = writeRunFile(dir, { runId: 'viz', name: 'viz run', seed: 5, calls: 60 })
  facts = run.facts
  cliOk(['--db', db, 'import', run.file])
}, 60_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** PNG: width and height are big-endian at bytes 16 and 20 of the IHDR chunk. */
const pngSize = (b: Buffer) => ({ w: b.readUInt32BE(16), h: b.readUInt32BE(20) })

/** JPEG: the first start-of-frame marker (FFC0–FFC2) holds height then width. */
function jpegSize(b: Buffer) {
  for (let i = 2; i < b.length; ) {
    const marker = b.readUInt16BE(i)
    const len = b.readUInt16BE(i + 2)
    if (marker >= 0xffc0 && marker <= 0xffc2) return { w: b.readUInt16BE(i + 7), h: b.readUInt16BE(i + 5) }
    i += 2 + len
  }
  throw new Error('no SOF marker')
}

describe('swarmscope visualize', () => {
  it('draws every chart kind as SVG with the expected number of series', async () => {
    // One kind through the CLI, all of them through the same route in-process (one process start each would be slow).
    const svgs = [{ kind: 'line', svg: cliOk(['--db', db, 'visualize', 'viz', '--chart', 'line', '--metric', 'llm_latency_ms', '--width', '640', '--height', '400']).stdout }]
    const core = createCore({ path: db })
    try {
      for (const kind of kinds) {
        const r = await core.call('reports.chart', { id: 'viz', chart: kind, metric: 'llm_latency_ms', width: 640, height: 400 })
        if (!r.ok) throw new Error(r.error.message)
        svgs.push({ kind, svg: r.data.content })
      }
    } finally {
      core.close()
    }
    await withPage(async (page) => {
      for (const { kind, svg } of svgs) {
        const parsed = await page.evaluate((text) => {
          const doc = new DOMParser().parseFromString(text, 'image/svg+xml')
          const root = doc.documentElement
          const series = new Set([...doc.querySelectorAll('[ecmeta_series_index]')].map((e) => e.getAttribute('ecmeta_series_index')))
          return { error: doc.querySelector('parsererror')?.textContent ?? null, root: root.localName, ns: root.namespaceURI, width: root.getAttribute('width'), series: series.size, text: root.textContent ?? '' }
        }, svg)
        expect(parsed.error, kind).toBeNull()
        expect(parsed).toMatchObject({ root: 'svg', ns: 'http://www.w3.org/2000/svg', width: '640' })
        // Over time, one series per model; every other kind summarises into one series.
        const perModel = ['line', 'scatter', 'area'].includes(kind)
        expect(parsed.series, kind).toBe(perModel ? facts.models.length : 1)
        if (perModel) for (const m of facts.models) expect(parsed.text).toContain(m)
      }
    })
  }, 120_000)

  it('renders PNG and JPEG through Chromium at the asked size and scale', () => {
    const png = join(dir, 'cost.png')
    const jpg = join(dir, 'cost.jpg')
    cliOk(['--db', db, 'visualize', 'latest', '--chart', 'pie', '--metric', 'cost_usd', '--width', '400', '--height', '300', '--scale', '2', '--out', png])
    cliOk(['--db', db, 'visualize', 'latest', '--chart', 'bar', '--metric', 'cost_usd', '--width', '500', '--height', '250', '--out', jpg])
    const p = readFileSync(png)
    expect(p.subarray(1, 4).toString()).toBe('PNG')
    expect(pngSize(p)).toEqual({ w: 800, h: 600 })
    const j = readFileSync(jpg)
    expect(j.readUInt16BE(0)).toBe(0xffd8)
    expect(jpegSize(j)).toEqual({ w: 500, h: 250 })
  }, 120_000)

  it('says what to install when there is no Chromium for an image', () => {
    const r = cli(['--db', db, 'visualize', 'viz', '--chart', 'bar', '--metric', 'cost_usd', '--out', join(dir, 'x.png')], { SWARMSCOPE_CHROME: join(dir, 'no-such-chrome') })
    expect(r.code).toBe(1)
    expect(r.stderr.trim()).toBe('swarmscope: PDF, PNG and JPEG export need Chromium: install Chromium (Debian/Ubuntu: `apt-get install chromium`) or set SWARMSCOPE_CHROME to a Chrome/Chromium executable')
  })

  it('lists the metrics a run can draw, and names them when one is unknown', () => {
    const list = JSON.parse(cliOk(['--db', db, '--json', 'visualize', 'viz', '--list']).stdout) as { metric: string; observations: number; p50: number | null }[]
    expect(list.find((m) => m.metric === 'llm_latency_ms')?.observations).toBe(facts.llmCalls)
    const bad = cli(['--db', db, 'visualize', 'viz', '--chart', 'line', '--metric', 'nope'])
    expect(bad.code).toBe(3)
    expect(bad.stderr).toContain('run viz has no metric "nope"; known: llm_latency_ms')
  })
})
