import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { generateLongSession } from '../corpus/claude-code'
import { ccusage, mismatches, type RunTotals } from './ccusage'
import { cacheCorpus, measure, medianBy, round, settleDisk } from './measure'

// The "a 1 GB JSONL imports with peak RSS under 300 MB", as one session in one file.
// The corpus figures spread their gigabyte over ~10,000 transcripts, each parsed with little
// state; here one parser carries its state from the first line to the last (what it remembers
// of earlier lines and calls must stay bounded), and one run takes every span.

const REPS = 3

export const ONE_SESSION_METHOD =
  'oneSession: one generated session of the largest size in a single transcript; ours = `swarmscope import <file> --json` then `swarmscope runs --json` into a fresh store, ccusage = `ccusage session --json --offline` on a folder holding only that file; the median of 3 interleaved runs each (after `sync`, the file read once untimed), peak RSS the highest of them, token totals compared in every run'

export const OLD_FORMAT_SESSION_METHOD =
  'oldFormatSession: the same, for one session written as Claude Code 1.x did: its subagents\' turns in the session\'s own file as sidechain lines that name no agent (most of its lines), whose agent is known only at the end of the file (they are stored under a stand-in as they are read, and given to it then)'

export function oneSessionFigure(opts: { bundle: string; work: string; mb: number; inFileSidechains?: boolean }) {
  const dir = join(opts.work, `one-session-${opts.mb}mb`)
  rmSync(dir, { recursive: true, force: true })
  const session = generateLongSession(dir, opts.mb * 1024 * 1024, undefined, { inFileSidechains: opts.inFileSidechains })
  const projects = join(dir, 'projects')
  const db = join(dir, 'swarmscope.db')
  const ours: { importMs: number; totalMs: number; maxRssMb: number; runs: RunTotals[] }[] = []
  const ccs: ReturnType<typeof ccusage>[] = []
  try {
    for (let rep = 0; rep < REPS; rep++) {
      for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true })
      settleDisk()
      cacheCorpus(projects)
      const imported = measure(process.execPath, [opts.bundle, '--db', db, 'import', session.file, '--json'])
      const report = measure(process.execPath, [opts.bundle, '--db', db, 'runs', '--json'])
      ours.push({ importMs: imported.wallMs, totalMs: imported.wallMs + report.wallMs, maxRssMb: imported.maxRssMb ?? 0, runs: JSON.parse(report.stdout) as RunTotals[] })
      settleDisk()
      cacheCorpus(projects)
      ccs.push(ccusage(dir))
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  const o = medianBy(ours, (r) => r.totalMs)
  const c = medianBy(ccs, (r) => r.ms)
  const mismatched = ours.flatMap((r, i) => mismatches(r.runs, ccs[i].sessions))
  return {
    mb: round(session.bytes / 1024 / 1024, 1),
    lines: session.lines,
    oursMs: Math.round(o.totalMs),
    oursImportMs: Math.round(o.importMs),
    ccusageMs: Math.round(c.ms),
    oursOverCcusage: round(o.totalMs / c.ms),
    oursImportMsRuns: ours.map((r) => Math.round(r.importMs)),
    peakRssMb: { oursImport: round(Math.max(...ours.map((r) => r.maxRssMb)), 1), ccusage: round(Math.max(...ccs.map((r) => r.maxRssMb ?? 0)), 1), goal: '< 300 at 1 GB' },
    tokenTotalsIdenticalToCcusage: mismatched.length === 0,
    mismatchedSessions: mismatched.slice(0, 5),
  }
}
