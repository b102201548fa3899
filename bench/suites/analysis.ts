import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { analyzeRun } from '../../src/core/analysis'
import { loadAgents, loadSpans } from '../../src/core/analysis/span-data'
import { metricQuantiles } from '../../src/core/queries/metric-quantiles'
import { openStore } from '../../src/core/store/open'
import { writeBigRun } from '../corpus/big-run'
import { median, round } from '../lib/measure'
import { mulberry32 as prng } from '../../src/core/analysis/stats/random'

// Analysis benchmark (issue 4). (1) Exact p50/p95/p99 of 20 metrics over 10 M stored samples:
// our SQLite route (count, then ORDER BY value LIMIT 2 OFFSET k on the (run_id, name, value)
// index) against DuckDB's quantile_cont over the same values, loaded into DuckDB in the same
// run; and, to show what the index buys, the best route without it (read the values, sort in
// JS). (2) Analysing a 100k-span run, against just reading its rows.

const PS = [0.5, 0.95, 0.99]
const METRICS = 20

/** Metric i: log-normal-ish values on its own scale, so no two metrics share a distribution. */
const valueOf = (rnd: () => number, i: number) => Math.round(Math.exp(Math.log(10 * (i + 1)) + (rnd() + rnd() + rnd() - 1.5)) * 1000) / 1000

function time<T>(f: () => T): { ms: number; value: T } {
  const t = performance.now()
  const value = f()
  return { ms: performance.now() - t, value }
}

async function timeAsync<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now()
  const value = await f()
  return { ms: performance.now() - t, value }
}

/** What the index costs at ingest: the same million rows into a fresh store, with and without it. */
function ingestCost(work: string, names: string[], values: Float64Array[]) {
  const rate = (dropIndex: boolean) => {
    const p = join(work, `ingest-${dropIndex ? 'plain' : 'indexed'}.db`)
    rmSync(p, { force: true })
    const s = openStore({ path: p })
    if (dropIndex) s.write.exec('DROP INDEX IF EXISTS metric_samples_value')
    s.write.prepare(`INSERT INTO runs (id, source, format, name, created_at, updated_at) VALUES ('m', 'bench', 'bench', 'metrics', 0, 0)`).run()
    const ins = s.write.prepare(`INSERT INTO metric_samples (run_id, name, unit, ts, value) VALUES ('m', ?, 'ms', ?, ?)`)
    const per = Math.min(values[0].length, 50_000)
    const t = time(() => s.write.transaction(() => names.forEach((n, i) => { for (let k = 0; k < per; k++) ins.run(n, k, values[i][k]) }))())
    s.close()
    rmSync(p, { force: true })
    return Math.round((per * names.length) / (t.ms / 1000))
  }
  const withIndex = rate(false)
  const withoutIndex = rate(true)
  return { rowsPerSecWithIndex: withIndex, rowsPerSecWithoutIndex: withoutIndex, ratio: round(withIndex / withoutIndex, 2) }
}

export async function analysisSuite(o: { work: string; samples: number; repeats?: number }) {
  mkdirSync(o.work, { recursive: true })
  const repeats = o.repeats ?? 3
  const path = join(o.work, 'analysis.db')
  rmSync(path, { force: true })
  const store = openStore({ path })
  const db = store.write
  const perMetric = Math.floor(o.samples / METRICS)
  const names = Array.from({ length: METRICS }, (_, i) => `metric.${String(i).padStart(2, '0')}`)

  // ---- load: the same values into SQLite and DuckDB ----
  const rnd = prng(7)
  const values = names.map((_, i) => Float64Array.from({ length: perMetric }, () => valueOf(rnd, i)))
  db.prepare(`INSERT INTO runs (id, source, format, name, created_at, updated_at) VALUES ('m', 'bench', 'bench', 'metrics', 0, 0)`).run()
  const insert = db.prepare(`INSERT INTO metric_samples (run_id, name, unit, ts, value) VALUES ('m', ?, 'ms', ?, ?)`)
  const hasIndex = (db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'metric_samples_value'").pluck().get() as number) === 1
  const loaded = time(() => db.transaction(() => names.forEach((n, i) => values[i].forEach((v, ts) => insert.run(n, ts, v))))())
  const ingest = ingestCost(o.work, names, values)
  const duck = await DuckDBInstance.create(':memory:', { threads: '2' })
  const conn = await duck.connect()
  await conn.run('CREATE TABLE samples (name VARCHAR, value DOUBLE)')
  const app = await conn.createAppender('samples')
  names.forEach((n, i) => values[i].forEach((v) => {
    app.appendVarchar(n)
    app.appendDouble(v)
    app.endRow()
  }))
  app.closeSync()

  // ---- quantiles ----
  const ours = () => Object.fromEntries(names.map((n) => [n, metricQuantiles(store.read, 'm', n, PS).values as number[]]))
  const duckdb = async () => {
    const r = await conn.runAndReadAll(`SELECT name, quantile_cont(value, [${PS.join(', ')}]) AS q FROM samples GROUP BY name`)
    return Object.fromEntries(r.getRowsJS().map((row) => [row[0] as string, (row[1] as number[]).map(Number)]))
  }
  const noIndex = () => Object.fromEntries(names.map((n) => {
    const xs = Float64Array.from(store.read.prepare(`SELECT value FROM metric_samples NOT INDEXED WHERE run_id = 'm' AND name = ?`).pluck().all(n) as number[]).sort()
    return [n, PS.map((p) => {
      const h = (xs.length - 1) * p
      const lo = Math.floor(h)
      return xs[lo] + (h - lo) * (xs[Math.min(lo + 1, xs.length - 1)] - xs[lo])
    })]
  }))
  const oursMs: number[] = []
  const duckMs: number[] = []
  let a: Record<string, number[]> = {}
  let b: Record<string, number[]> = {}
  for (let r = 0; r < repeats; r++) {
    const x = time(ours)
    const y = await timeAsync(duckdb)
    oursMs.push(x.ms)
    duckMs.push(y.ms)
    a = x.value
    b = y.value
  }
  const worst = Math.max(...names.flatMap((n) => PS.map((_, k) => Math.abs(a[n][k] - b[n][k]) / Math.max(1e-12, Math.abs(b[n][k])))))
  const scan = time(noIndex)
  conn.closeSync()
  duck.closeSync()

  // ---- analysing a 100k-span run ----
  writeBigRun(db, { id: 'big', spans: 100_000 })
  const readMs: number[] = []
  const analyzeMs: number[] = []
  for (let r = 0; r < repeats; r++) {
    readMs.push(time(() => (loadSpans(store.read, ['big']), loadAgents(store.read, ['big']))).ms)
    analyzeMs.push(time(() => analyzeRun(store.read, 'big')).ms)
  }
  store.close()
  rmSync(path, { force: true })
  return {
    quantiles: {
      samples: perMetric * METRICS, metrics: METRICS, percentiles: PS, repeats, index: hasIndex ? 'metric_samples(run_id, name, value)' : 'none',
      loadRowsPerSec: Math.round((perMetric * METRICS) / (loaded.ms / 1000)), ingestOfOneMillionRows: ingest,
      oursMs: round(median(oursMs), 1), duckdbMs: round(median(duckMs), 1), ratioVsDuckdb: round(median(oursMs) / median(duckMs), 2), goalRatio: 2,
      withoutIndexMs: round(scan.ms, 1), withoutIndexRatioVsDuckdb: round(scan.ms / median(duckMs), 2),
      maxRelativeDifference: worst,
    },
    analyzeRun: { spans: 100_000, readRowsMs: round(median(readMs), 1), analyzeMs: round(median(analyzeMs), 1), ratioVsReadingRows: round(median(analyzeMs) / median(readMs), 2) },
  }
}
