import { statSync } from 'node:fs'
import Database from 'better-sqlite3'
import WebSocket from 'ws'
import { callHost } from './host-client'

// The warm figure as a running Swarmscope meets it: `serve` (or the desktop app) tails the
// transcripts folder, so lines appended by Claude Code are imported as they are written, and a
// report asked for afterwards only reads the store. Measured from the end of the append until
// the host has announced (runs.changed, after COMMIT) every session that grew, plus the report
// (GET /runs) asked for then. "Every session that grew" means every grown file stored up to
// its new end (read from the store after each announcement): a session that grows turn after
// turn is announced by several imports, the first while it is still being written. The bench
// checks afterwards that the report's totals equal ccusage's for every session, so a report
// that came too early would show as a mismatch.

export interface WatchedWarm {
  appendedLines: number
  sessionsGrown: number
  /** How long writing the appended lines took; the host may import during it, as it would while Claude Code writes. */
  appendMs: number
  /** End of the append → the last grown session announced as committed. */
  importAfterAppendMs: number
  reportMs: number
  /** importAfterAppendMs + reportMs: what a user waits for after the last line was written. */
  totalMs: number
  /** Imports the tail made for the append (it batches changes 50 ms apart). */
  imports: number
  /** When each of those imports was announced (ms from the start of the append) and how many runs it committed: how much was done while the lines were still being written. */
  commits: { atMs: number; runs: number }[]
  runs: unknown[]
}

interface Change {
  at: number
  ids: string[]
}

/** Connects to the host's event stream; resolves once connected. */
async function events(port: number, token: string): Promise<{ changes: Change[]; close(): void }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/stream?token=${encodeURIComponent(token)}`)
  const changes: Change[] = []
  ws.on('message', (m) => {
    const e = JSON.parse(String(m)) as { event: string; payload: { runIds: string[] } }
    if (e.event === 'runs.changed') changes.push({ at: performance.now(), ids: e.payload.runIds })
  })
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)))
  return { changes, close: () => ws.close() }
}

/** Waits until the host has made no import for `quietMs` (its tail has caught up with the folder). */
async function quiet(changes: Change[], quietMs: number, timeoutMs = 120_000): Promise<void> {
  const started = performance.now()
  for (;;) {
    const last = changes.length ? changes[changes.length - 1].at : started
    if (performance.now() - last >= quietMs) return
    if (performance.now() - started > timeoutMs) throw new Error('the host kept importing')
    await new Promise((r) => setTimeout(r, 50))
  }
}

/**
 * Appends through `append` (which returns the number of lines written) to the files listed in
 * `sessions` (path and run id), with the host tailing their folder.
 */
export async function warmThroughWatch(port: number, token: string, db: string, sessions: { path: string; runId: string }[], append: () => number): Promise<WatchedWarm> {
  const stream = await events(port, token)
  const store = new Database(db, { readonly: true })
  const offset = store.prepare('SELECT offset FROM imported_files WHERE path = ?').pluck()
  try {
    // The tail imports what was written lately when it starts: let it finish first.
    await quiet(stream.changes, 1500)
    const sizes = new Map(sessions.map((s) => [s.path, statSync(s.path).size]))
    stream.changes.length = 0
    const a0 = performance.now()
    const appendedLines = append()
    const a1 = performance.now()
    const grown = sessions.filter((s) => statSync(s.path).size !== sizes.get(s.path))
    const ends = new Map(grown.map((s) => [s.path, statSync(s.path).size]))
    let doneAt: number | null = null
    let checked = 0
    while (doneAt === null) {
      const n = stream.changes.length
      if (n > checked) {
        checked = n
        // Announced after its COMMIT: once the store holds every grown file to its end, the last announcement did it (one
        // still on its way, from an import that committed before this read, is waited for; nothing else writes here).
        if (grown.every((s) => offset.get(s.path) === ends.get(s.path))) {
          await new Promise((r) => setTimeout(r, 50))
          doneAt = stream.changes[stream.changes.length - 1].at
        }
      }
      if (doneAt !== null) break
      if (performance.now() - a1 > 120_000) throw new Error('the host did not import the appended lines within 2 minutes')
      await new Promise((r) => setTimeout(r, 2))
    }
    const report = await callHost<unknown[]>(port, token, 'GET', '/runs')
    const importAfterAppendMs = Math.max(0, doneAt - a1)
    return {
      appendedLines, sessionsGrown: grown.length, appendMs: a1 - a0, importAfterAppendMs, reportMs: report.ms,
      totalMs: importAfterAppendMs + report.ms, imports: stream.changes.length, runs: report.data,
      commits: stream.changes.map((c) => ({ atMs: Math.round(c.at - a0), runs: c.ids.length })),
    }
  } finally {
    store.close()
    stream.close()
  }
}
