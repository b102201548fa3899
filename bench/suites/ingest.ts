import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { openStore } from '../../src/core/store/open'
import { appendTurns, generateCorpus, type CorpusStats } from '../corpus/claude-code'
import { measure, round } from '../lib/measure'

// Ingest benchmark (issue: ingest). Figures are ratios against references measured in the same
// run on the same machine: raw better-sqlite3 inserts of the same rows, and ccusage.

const ROOT = new URL('../..', import.meta.url).pathname
const BIN = join(ROOT, 'bin/swarmscope.mjs')
const CCUSAGE = 'ccusage@20.0.24'

interface Totals {
  inputTokens: number
  outputTokens: number
  cacheCreationTokens: number
  cacheReadTokens: number
}

function ours(db: string, projects: string) {
  const imported = measure(process.execPath, [BIN, '--db', db, 'import', projects, '--json'])
  const report = measure(process.execPath, [BIN, '--db', db, 'runs', '--json'])
  const runs = JSON.parse(report.stdout) as (Totals & { id: string })[]
  return { importMs: imported.wallMs, totalMs: imported.wallMs + report.wallMs, maxRssMb: imported.maxRssMb, runs }
}

/** ccusage's native binary, installed once under bench/.tools (run directly: npx would add ~1 s to every call). */
function ccusageBinary(): string {
  const tools = join(ROOT, 'bench/.tools')
  const bin = join(tools, `node_modules/@ccusage/ccusage-${process.platform}-${process.arch}/bin/ccusage`)
  if (!existsSync(bin)) {
    const r = spawnSync('npm', ['install', '--prefix', tools, '--no-save', '--no-audit', '--no-fund', CCUSAGE], { stdio: 'inherit' })
    if (r.status !== 0 || !existsSync(bin)) throw new Error(`could not install ${CCUSAGE} for this platform`)
  }
  // The package ships the binary without its exec bit (ccusage's JS launcher normally sets it).
  chmodSync(bin, 0o755)
  return bin
}

function ccusage(configDir: string) {
  const m = measure(ccusageBinary(), ['session', '--json', '--offline'], { CLAUDE_CONFIG_DIR: configDir })
  const sessions = (JSON.parse(m.stdout) as { session: (Totals & { period: string })[] }).session
  return { ms: m.wallMs, maxRssMb: m.maxRssMb, sessions }
}

/** Sessions whose four token totals differ between us and ccusage. */
function mismatches(runs: (Totals & { id: string })[], sessions: (Totals & { period: string })[]): string[] {
  const byId = new Map(runs.map((r) => [r.id.replace(/^cc-/, ''), r]))
  const bad = sessions.filter((s) => {
    const r = byId.get(s.period)
    return !r || r.inputTokens !== s.inputTokens || r.outputTokens !== s.outputTokens || r.cacheCreationTokens !== s.cacheCreationTokens || r.cacheReadTokens !== s.cacheReadTokens
  })
  if (sessions.length !== runs.length) bad.push({ period: `count ${runs.length} vs ${sessions.length}` } as never)
  return bad.map((s) => s.period)
}

/** Raw prepared inserts of exactly the rows our import wrote, into a fresh store with the same schema and indexes. */
function rawInsertRowsPerSec(sourceDb: string, work: string): { rows: number; rowsPerSec: number } {
  const src = new Database(sourceDb, { readonly: true })
  const tables = ['runs', 'agents', 'spans', 'events'] as const
  const rows = Object.fromEntries(tables.map((t) => [t, src.prepare(`SELECT * FROM ${t}`).raw().all() as unknown[][]]))
  src.close()
  const path = join(work, 'raw.db')
  rmSync(path, { force: true })
  const store = openStore({ path })
  const started = performance.now()
  store.write.transaction(() => {
    for (const t of tables) {
      if (rows[t].length === 0) continue
      const insert = store.write.prepare(`INSERT INTO ${t} VALUES (${rows[t][0].map(() => '?').join(',')})`)
      for (const r of rows[t]) insert.run(r)
    }
  })()
  const ms = performance.now() - started
  store.close()
  const n = tables.reduce((a, t) => a + rows[t].length, 0)
  return { rows: n, rowsPerSec: n / (ms / 1000) }
}

export async function ingestSuite(opts: { sizesMb: number[]; work: string }) {
  const results: Record<string, unknown>[] = []
  for (const mb of opts.sizesMb) {
    const dir = join(opts.work, `corpus-${mb}mb`)
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    const corpus: CorpusStats = generateCorpus(dir, mb * 1024 * 1024)
    const projects = join(dir, 'projects')
    const db = join(dir, 'swarmscope.db')
    console.log(`ingest ${mb} MB: ${corpus.files} files, ${corpus.lines} lines`)

    const coldOurs = ours(db, projects)
    const coldCc = ccusage(dir)
    const sqlite = new Database(db, { readonly: true })
    const rowsWritten = (sqlite.prepare(`SELECT (SELECT COUNT(*) FROM runs) + (SELECT COUNT(*) FROM agents) + (SELECT COUNT(*) FROM spans) + (SELECT COUNT(*) FROM events) AS n`).get() as { n: number }).n
    sqlite.close()
    const raw = rawInsertRowsPerSec(db, dir)
    const oursRowsPerSec = rowsWritten / (coldOurs.importMs / 1000)

    const appended = appendTurns(corpus, Math.ceil(corpus.lines * 0.01))
    const warmOurs = ours(db, projects)
    const warmCc = ccusage(dir)
    const entry = {
      corpusMb: round(corpus.bytes / 1024 / 1024, 1), files: corpus.files, lines: corpus.lines, sessions: corpus.sessions.length,
      rowsWritten,
      throughput: { oursRowsPerSec: Math.round(oursRowsPerSec), rawInsertRowsPerSec: Math.round(raw.rowsPerSec), ratio: round(oursRowsPerSec / raw.rowsPerSec), goal: '>= 0.5' },
      cold: { oursMs: Math.round(coldOurs.totalMs), ccusageMs: Math.round(coldCc.ms), oursOverCcusage: round(coldOurs.totalMs / coldCc.ms), goal: '<= 3' },
      warm: { appendedLines: appended, oursMs: Math.round(warmOurs.totalMs), ccusageMs: Math.round(warmCc.ms), ccusageOverOurs: round(warmCc.ms / warmOurs.totalMs), goal: '>= 10' },
      peakRssMb: { oursImport: coldOurs.maxRssMb && round(coldOurs.maxRssMb, 1), ccusage: coldCc.maxRssMb && round(coldCc.maxRssMb, 1) },
      tokenTotalsIdenticalToCcusage: { cold: mismatches(coldOurs.runs, coldCc.sessions).length === 0, warm: mismatches(warmOurs.runs, warmCc.sessions).length === 0, mismatchedSessions: mismatches(warmOurs.runs, warmCc.sessions).slice(0, 5) },
    }
    console.log(JSON.stringify(entry))
    results.push(entry)
    rmSync(dir, { recursive: true, force: true })
  }
  return { suite: 'ingest', ccusage: CCUSAGE, results }
}

export const hasResults = (file: string) => existsSync(file) && readFileSync(file, 'utf8').length > 0
