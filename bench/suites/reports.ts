import { mkdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { analyzeRun } from '../../src/core/analysis'
import { openStore } from '../../src/core/store/open'
import { writeBigRun } from '../corpus/big-run'
import { measure, median, round } from '../lib/measure'

// Reports benchmark (issue 6): the full PDF report of a 100k-span run, from the command line to
// the file on disk, as a user runs it; the same report from the cache; and the HTML's size.
// References measured in the same run: the analysis alone (in-process), and the CLI doing a
// trivial command (process start-up), so the ratios survive a noisy machine.

const ROOT = new URL('../..', import.meta.url).pathname
const BIN = join(ROOT, 'bin/swarmscope.mjs')

export async function reportsSuite(o: { work: string; spans?: number; repeats?: number }) {
  mkdirSync(o.work, { recursive: true })
  const repeats = o.repeats ?? 3
  const spans = o.spans ?? 100_000
  const db = join(o.work, 'reports.db')
  rmSync(db, { force: true })
  const store = openStore({ path: db })
  writeBigRun(store.write, { id: 'big', name: 'bench swarm', spans })
  const analyzeMs: number[] = []
  for (let r = 0; r < repeats; r++) {
    const t = performance.now()
    analyzeRun(store.read, 'big')
    analyzeMs.push(performance.now() - t)
  }
  store.close()

  const cli = (...args: string[]) => measure(process.execPath, [BIN, '--db', db, ...args])
  cli('runs', '--json') // builds the CLI bundle once, outside the timings
  const startupMs = median(Array.from({ length: repeats }, () => cli('runs', '--json').wallMs))
  const pdf = join(o.work, 'report.pdf')
  const html = join(o.work, 'report.html')
  const pdfMs: number[] = []
  const cachedMs: number[] = []
  for (let r = 0; r < repeats; r++) {
    rmSync(pdf, { force: true })
    pdfMs.push(cli('report', 'big', '--template', 'full', '--out', pdf, '--no-cache').wallMs)
    cachedMs.push(cli('report', 'big', '--template', 'full', '--out', pdf).wallMs)
  }
  const htmlMs = cli('report', 'big', '--template', 'full', '--out', html, '--no-cache').wallMs
  const result = {
    spans,
    fullPdf: {
      timeToFileMs: round(median(pdfMs), 0), goalMs: 3000, bytes: statSync(pdf).size,
      ratioVsAnalysisAlone: round(median(pdfMs) / median(analyzeMs), 2), runs: pdfMs.map((x) => round(x, 0)),
    },
    fullHtml: { timeToFileMs: round(htmlMs, 0), bytes: statSync(html).size },
    cached: { timeToFileMs: round(median(cachedMs), 0), ratioVsUncached: round(median(cachedMs) / median(pdfMs), 3), ratioVsCliStartup: round(median(cachedMs) / startupMs, 2) },
    references: { analyzeRunMs: round(median(analyzeMs), 0), cliStartupMs: round(startupMs, 0) },
  }
  rmSync(o.work, { recursive: true, force: true })
  return result
}
