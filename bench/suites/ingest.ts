import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { loadavg } from 'node:os'
import { basename, join } from 'node:path'
import Database from 'better-sqlite3'
import { ensureCliBundle } from '../../scripts/cli-bundle.mjs'
import { openStore } from '../../src/core/store/open'
import { startServe, TOKEN } from '../../test/live/helpers'
import { appendTurns, generateCorpus, type CorpusStats } from '../corpus/claude-code'
import { callHost } from '../lib/host-client'
import { appendToLongSession } from '../lib/long-session'
import { OLD_FORMAT_SESSION_METHOD, ONE_SESSION_METHOD, oneSessionFigure } from '../lib/one-session'
import { warmThroughWatch } from '../lib/watch-warm'
import { STORE_FLOOR_METHOD, storeFloor } from '../lib/store-floor'
import { ccusage, CCUSAGE, mismatches, type RunTotals } from '../lib/ccusage'
import { cacheCorpus, measure, median, medianBy, round, settleDisk } from '../lib/measure'

// Ingest benchmark (issue: ingest). Figures are ratios against references measured in the same
// run on the same machine: raw better-sqlite3 inserts of the same rows, and ccusage.

const COLD_REPS = 5
/** Repetitions of each tailed warm figure (each on a host started afresh). */
const WARM_REPS = 3


const METHOD = {
  cold: 'fresh store; ours = `swarmscope import <projects> --json` then `swarmscope runs --json` (two CLI processes, Node start included); ccusage = `ccusage session --json --offline`',
  warm: 'after appending 1% new lines (complete turns) to every tenth session, on a running `swarmscope serve --watch <projects>` that had imported the folder before (as the app tails ~/.claude/projects): ours = from the end of the append until the host has announced (runs.changed, after COMMIT) the import that left every grown file stored to its new end, plus GET /api/v1/runs asked then; the tail may import during the append, as it would while Claude Code writes. ccusage re-reads everything (`ccusage session --json --offline`, run after ours). Totals of both are compared afterwards.',
  warmHostAlreadyTailing: 'warm.hostAlreadyTailing: the same for the next 1% on the same host, right after it tailed the first (its import code compiled, the grown sessions\' pages read once): what an app that has been running meets. The goal is judged on the first figure',
  warmActiveSessions: 'warm.activeSessions: the same 1% of lines appended as turn after turn into 1% of the sessions (spread over the corpus), on a host started afresh: a day of work grows the few sessions in use, where the figure above grows ~40% of them by one turn each. Reported beside the goal, which is judged on the first figure',
  warmStoreFloor: STORE_FLOOR_METHOD,
  warmExplicit: 'the same after another 1%, without tailing: POST /api/v1/imports {paths:[projects]} (walks the whole folder, reads only what grew) then GET /api/v1/runs, on a running `serve --no-watch`',
  warmCli: 'the same after another 1%, through two CLI processes (`import` then `runs --json`)',
  rawInsert: 'the rows our import wrote (runs, agents, spans, events), read back in primary-key order and inserted with prepared positional INSERTs into a fresh store with the same schema, indexes and settings, in one transaction; COMMIT and closing the store (its WAL checkpoint, which our import process also pays when it closes) included. rawInsertToCommitRowsPerSec: the same up to COMMIT only',
  throughput: 'rows written / wall time of the cold `swarmscope import` process (Node start, folder walk, parsing, COMMIT and closing the store included)',
  repetitions: 'cold import, cold ccusage and the raw reference: 5 runs each, interleaved, into a fresh store each time, each started after `sync` has written back what the step before left dirty and, for ours and ccusage, after the corpus was read once untimed so that both find it in the file cache; the times given are the medians, and the throughput and cold ratios the median of the ratios of the 5 runs (each pair measured back to back), with the ratio of the medians beside them (ratioOfMedians) and the ratio of each run under `runs` / `oursOverCcusageRuns`; the tailed warm figures (warm, hostAlreadyTailing, activeSessions): the median of 3, each repetition on a host started afresh and appending another 1%, every ratio kept under ccusageOverOursRuns and token totals checked in all of them; explicitImport and cli are single runs',
}

/** Import + report through two CLI processes. The bundle is run directly: a source edited meanwhile must not put a rebuild into a timing. */
function oursCli(bundle: string, db: string, projects: string) {
  const imported = measure(process.execPath, [bundle, '--db', db, 'import', projects, '--json'])
  const report = measure(process.execPath, [bundle, '--db', db, 'runs', '--json'])
  const runs = JSON.parse(report.stdout) as RunTotals[]
  return { importMs: imported.wallMs, totalMs: imported.wallMs + report.wallMs, maxRssMb: imported.maxRssMb, runs }
}

/** Raw prepared inserts of exactly the rows our import wrote, into a fresh store with the same schema and indexes. */
function rawInsertRowsPerSec(sourceDb: string, work: string): { rows: number; rowsPerSec: number; rowsPerSecToCommit: number } {
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
  const committedMs = performance.now() - started
  // Closing copies the WAL into the database file, as it does when our import process closes the store.
  store.close()
  const ms = performance.now() - started
  const n = tables.reduce((a, t) => a + rows[t].length, 0)
  return { rows: n, rowsPerSec: n / (ms / 1000), rowsPerSecToCommit: n / (committedMs / 1000) }
}

/** Import + report on a running host: the import's wall time and the report's, from the client. */
async function oursHost(port: number, projects: string) {
  const imported = await callHost<{ runs: unknown[] }>(port, TOKEN, 'POST', '/imports', { paths: [projects] })
  const report = await callHost<RunTotals[]>(port, TOKEN, 'GET', '/runs')
  return { importMs: imported.ms, reportMs: report.ms, totalMs: imported.ms + report.ms, runs: report.data }
}

export async function ingestSuite(opts: { sizesMb: number[]; work: string }) {
  const bundle = await ensureCliBundle()
  if (!bundle) throw new Error('the ingest bench needs the CLI bundle (esbuild)')
  const results: Record<string, unknown>[] = []
  for (const mb of opts.sizesMb) {
    const dir = join(opts.work, `corpus-${mb}mb`)
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    const corpus: CorpusStats = generateCorpus(dir, mb * 1024 * 1024)
    const projects = join(dir, 'projects')
    const db = join(dir, 'swarmscope.db')
    console.log(`ingest ${mb} MB: ${corpus.files} files, ${corpus.lines} lines`)

    // Other work on the machine skews every figure here (two cores): the 1-minute load is kept with them.
    const loadBefore = round(loadavg()[0], 2)
    // Cold runs swing by ±20 % here (the checkpoint's writes and fsyncs meet a shared disk):
    // each cold figure is the median of COLD_REPS, ours and the references alike, interleaved.
    const colds: ReturnType<typeof oursCli>[] = []
    const ccs: ReturnType<typeof ccusage>[] = []
    const raws: ReturnType<typeof rawInsertRowsPerSec>[] = []
    let rowsWritten = 0
    for (let rep = 0; rep < COLD_REPS; rep++) {
      for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true })
      settleDisk()
      cacheCorpus(projects)
      colds.push(oursCli(bundle, db, projects))
      settleDisk()
      cacheCorpus(projects)
      ccs.push(ccusage(dir))
      const sqlite = new Database(db, { readonly: true })
      rowsWritten = (sqlite.prepare(`SELECT (SELECT COUNT(*) FROM runs) + (SELECT COUNT(*) FROM agents) + (SELECT COUNT(*) FROM spans) + (SELECT COUNT(*) FROM events) AS n`).get() as { n: number }).n
      sqlite.close()
      settleDisk()
      raws.push(rawInsertRowsPerSec(db, dir))
    }
    const coldOurs = medianBy(colds, (c) => c.importMs)
    const coldCc = medianBy(ccs, (c) => c.ms)
    const raw = medianBy(raws, (r) => -r.rowsPerSec)
    const oursRowsPerSec = rowsWritten / (coldOurs.importMs / 1000)
    // Each repetition's pair, measured back to back: a machine that slows down or speeds up
    // between repetitions moves both of a pair, and the median of the pairs' ratios is what the
    // goals are judged on, as for the warm figures. (On this VM the raw reference ran at 78k rows/s
    // in one run and 121k in another; the ratio of the two medians then swung 0.40-0.53.)
    const throughputRatios = colds.map((c, i) => rowsWritten / (c.importMs / 1000) / raws[i].rowsPerSec)
    const coldRatios = colds.map((c, i) => c.totalMs / ccs[i].ms)

    const appendedCli = appendTurns(corpus, Math.ceil(corpus.lines * 0.01), 7)
    const warmCli = oursCli(bundle, db, projects)
    const serve = await startServe(db, ['--port', '0', '--no-otlp', '--no-watch'])
    let warmHost, unchanged
    try {
      // The app has imported this folder before: the first call finds nothing new (and warms the process up).
      unchanged = await oursHost(serve.port, projects)
      const appended = appendTurns(corpus, Math.ceil(corpus.lines * 0.01), 8)
      warmHost = { appended, ...(await oursHost(serve.port, projects)) }
    } finally {
      await serve.stop()
    }
    const warmCc = ccusage(dir)

    // The tailed figures, each the median of WARM_REPS, every repetition on a host started afresh (its
    // code not yet compiled by V8, its pages not yet read): the judged append, the next one on the same
    // host (as an app meets it after running a while), and the same share of lines into the few
    // sessions a day of work grows, on another fresh host.
    const sessions = corpus.sessions.map((path) => ({ path, runId: `cc-${basename(path, '.jsonl')}` }))
    const onePercent = Math.ceil(corpus.lines * 0.01)
    const inUse = Math.max(1, Math.round(corpus.sessions.length / 100))
    const onFreshHost = async <T>(measure: (port: number) => Promise<T>): Promise<T> => {
      const host = await startServe(db, ['--port', '0', '--no-otlp', '--watch', projects])
      try {
        // Through the write queue: returns once the tail's own start-up import (files written lately) is done.
        await oursHost(host.port, projects)
        return await measure(host.port)
      } finally {
        await host.stop()
      }
    }
    const againstCcusage = async (port: number, append: () => number) => {
      const ours = await warmThroughWatch(port, TOKEN, db, sessions, append)
      const cc = ccusage(dir)
      return { ours, cc, ratio: cc.ms / ours.totalMs }
    }
    const watchedReps: Awaited<ReturnType<typeof againstCcusage>>[] = []
    const steadyReps: typeof watchedReps = []
    const activeReps: typeof watchedReps = []
    let seed = 9
    for (let rep = 0; rep < WARM_REPS; rep++) {
      await onFreshHost(async (port) => {
        watchedReps.push(await againstCcusage(port, () => appendTurns(corpus, onePercent, seed++)))
        steadyReps.push(await againstCcusage(port, () => appendTurns(corpus, onePercent, seed++)))
      })
      activeReps.push(await onFreshHost((port) => againstCcusage(port, () => appendTurns(corpus, onePercent, seed++, { sessions: inUse }))))
    }
    // With no host running: the store's part of the same kind of append, alone (store-floor.ts), and ccusage right after it.
    const floor = storeFloor({ bundle, db, projects, work: dir, append: () => appendTurns(corpus, onePercent, seed++) })
    const floorCc = ccusage(dir)
    const { ours: watched, cc: watchedCc } = medianBy(watchedReps, (r) => r.ratio)
    const { ours: steady, cc: steadyCc } = medianBy(steadyReps, (r) => r.ratio)
    const { ours: active, cc: activeCc } = medianBy(activeReps, (r) => r.ratio)
    const ratios = (reps: typeof watchedReps) => reps.map((r) => round(r.ratio))
    const totalsMatch = (reps: typeof watchedReps) => reps.flatMap((r) => mismatches(r.ours.runs as RunTotals[], r.cc.sessions))
    const entry = {
      corpusMb: round(corpus.bytes / 1024 / 1024, 1), files: corpus.files, lines: corpus.lines, sessions: corpus.sessions.length,
      loadAverage: { before: loadBefore, after: round(loadavg()[0], 2) },
      rowsWritten,
      throughput: {
        oursRowsPerSec: Math.round(oursRowsPerSec), rawInsertRowsPerSec: Math.round(raw.rowsPerSec), ratio: round(median(throughputRatios)), goal: '>= 0.5',
        ratioOfMedians: round(oursRowsPerSec / raw.rowsPerSec),
        rawInsertToCommitRowsPerSec: Math.round(raw.rowsPerSecToCommit), ratioToCommitOnly: round(oursRowsPerSec / raw.rowsPerSecToCommit),
        // Each repetition's own pair (ours and the raw reference measured just after it): the spread the medians hide.
        runs: colds.map((c, i) => ({ oursImportMs: Math.round(c.importMs), rawInsertRowsPerSec: Math.round(raws[i].rowsPerSec), ratio: round(throughputRatios[i]) })),
      },
      cold: {
        oursMs: Math.round(coldOurs.totalMs), oursImportMs: Math.round(coldOurs.importMs), ccusageMs: Math.round(coldCc.ms), oursOverCcusage: round(median(coldRatios)), goal: '<= 3',
        ratioOfMedians: round(coldOurs.totalMs / coldCc.ms), oursOverCcusageRuns: coldRatios.map((r) => round(r)),
      },
      warm: {
        appendedLines: watched.appendedLines, sessionsGrown: watched.sessionsGrown, appendMs: Math.round(watched.appendMs), imports: watched.imports, commits: watched.commits,
        oursMs: Math.round(watched.totalMs), oursImportAfterAppendMs: Math.round(watched.importAfterAppendMs), oursReportMs: Math.round(watched.reportMs),
        ccusageMs: Math.round(watchedCc.ms), ccusageOverOurs: round(watchedCc.ms / watched.totalMs), goal: '>= 10', ccusageOverOursRuns: ratios(watchedReps),
        // The goal is judged on the figure above (the tail's first import after the host started: its code not yet
        // compiled by V8, its pages not yet read); this is the next 1 % on the same host.
        hostAlreadyTailing: {
          appendedLines: steady.appendedLines, imports: steady.imports, commits: steady.commits, oursMs: Math.round(steady.totalMs),
          oursImportAfterAppendMs: Math.round(steady.importAfterAppendMs), oursReportMs: Math.round(steady.reportMs),
          ccusageMs: Math.round(steadyCc.ms), ccusageOverOurs: round(steadyCc.ms / steady.totalMs), ccusageOverOursRuns: ratios(steadyReps),
        },
        activeSessions: {
          appendedLines: active.appendedLines, sessionsGrown: active.sessionsGrown, appendMs: Math.round(active.appendMs), imports: active.imports, commits: active.commits,
          oursMs: Math.round(active.totalMs),
          oursImportAfterAppendMs: Math.round(active.importAfterAppendMs), oursReportMs: Math.round(active.reportMs),
          ccusageMs: Math.round(activeCc.ms), ccusageOverOurs: round(activeCc.ms / active.totalMs), ccusageOverOursRuns: ratios(activeReps),
        },
        storeFloor: {
          appendedLines: floor.appendedLines, runsChanged: floor.runsChanged, rowsWritten: floor.rowsWritten, rowsNew: floor.rowsNew, walPages: floor.walPages,
          floorMs: Math.round(floor.floorMs), ccusageMs: Math.round(floorCc.ms), ccusageOverFloor: round(floorCc.ms / floor.floorMs), cliImportMs: Math.round(floor.cliImportMs),
        },
        explicitImport: {
          appendedLines: warmHost.appended, oursMs: Math.round(warmHost.totalMs), oursImportMs: Math.round(warmHost.importMs), oursReportMs: Math.round(warmHost.reportMs),
          ccusageMs: Math.round(warmCc.ms), ccusageOverOurs: round(warmCc.ms / warmHost.totalMs), unchangedReimportMs: Math.round(unchanged.totalMs),
        },
        cli: { appendedLines: appendedCli, oursMs: Math.round(warmCli.totalMs), ccusageOverOurs: round(warmCc.ms / warmCli.totalMs) },
      },
      // The highest of the cold runs, not the median's.
      peakRssMb: { oursImport: round(Math.max(...colds.map((c) => c.maxRssMb ?? 0)), 1), ccusage: round(Math.max(...ccs.map((c) => c.maxRssMb ?? 0)), 1), goal: '< 300 at 1 GB' },
      tokenTotalsIdenticalToCcusage: {
        cold: mismatches(coldOurs.runs, coldCc.sessions).length === 0,
        warm: totalsMatch(watchedReps).length === 0,
        warmHostAlreadyTailing: totalsMatch(steadyReps).length === 0,
        warmActiveSessions: totalsMatch(activeReps).length === 0,
        warmExplicit: mismatches(warmHost.runs, warmCc.sessions).length === 0,
        mismatchedSessions: [...totalsMatch(watchedReps), ...totalsMatch(steadyReps), ...totalsMatch(activeReps), ...mismatches(warmHost.runs, warmCc.sessions)].slice(0, 5),
      },
    }
    console.log(JSON.stringify(entry))
    results.push(entry)
    rmSync(dir, { recursive: true, force: true })
  }
  // Whether an append's import costs more the longer the session is (a tail imports every few lines of a live one).
  const appendToLong = await appendToLongSession(opts.work)
  console.log(JSON.stringify({ appendToLongSession: appendToLong }))
  // The memory goal for one 1 GB JSONL (the corpora above spread their bytes over many files).
  const oneSession = oneSessionFigure({ bundle, work: opts.work, mb: Math.max(...opts.sizesMb) })
  console.log(JSON.stringify({ oneSession }))
  const oldFormatSession = oneSessionFigure({ bundle, work: opts.work, mb: Math.max(...opts.sizesMb), inFileSidechains: true })
  console.log(JSON.stringify({ oldFormatSession }))
  return {
    suite: 'ingest', ccusage: CCUSAGE, method: { ...METHOD, oneSession: ONE_SESSION_METHOD, oldFormatSession: OLD_FORMAT_SESSION_METHOD },
    results, appendToLongSession: appendToLong, oneSession, oldFormatSession,
  }
}

export const hasResults = (file: string) => existsSync(file) && readFileSync(file, 'utf8').length > 0
