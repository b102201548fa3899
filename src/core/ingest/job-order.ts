import type { RunStatsTracker } from '../store/run-stats-delta'
import { placeOf } from './claude-code/format'

/** The Claude Code session a transcript's path names, or null for any other file. */
export const sessionOf = (path: string): string | null => (path.endsWith('.jsonl') ? placeOf(path).sessionIdFromPath : null)

/**
 * The order a folder's files are written in: Claude Code transcripts by session id, each
 * session's files together (in the order the walk met them), every other file in its place.
 *
 * A session is one run, and a run's rows are keyed by its id (`cc-<session id>`). Written in
 * the walk's order (project folder, then session), runs arrive in ~one ascending sequence per
 * project, each landing all over the spans B-tree; by session id they arrive in key order and
 * go in at the tree's right edge. Only where rows land changes: the upserts converge to the
 * same rows in any order, and the parse worker and the importer use this one order.
 */
export function writeOrder<T extends { path: string }>(jobs: T[]): T[] {
  const slots: number[] = []
  const sessions: { job: T; key: string; at: number }[] = []
  jobs.forEach((job, at) => {
    const key = sessionOf(job.path)
    if (key === null) return
    slots.push(at)
    sessions.push({ job, key, at })
  })
  if (sessions.length < 2) return jobs
  sessions.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.at - b.at))
  const out = jobs.slice()
  slots.forEach((slot, i) => (out[slot] = sessions[i].job))
  return out
}

/**
 * Recomputes run summaries as the writer goes: once it has moved on from a session's files,
 * the runs they fed are summed up then, while the parse worker is still reading, instead of
 * all at the end on one core with the worker done (~0.4 s of a 1 GB import). Files that are
 * not Claude Code transcripts count as one group, so that many files feeding one run (OTLP
 * exports, say) do not sum it up again after each. A run fed again after its summary is
 * summed up again, so every summary still matches its rows at COMMIT.
 */
export function summariesAsWritten(stats: Pick<RunStatsTracker, 'refresh'>) {
  const pending = new Set<string>()
  const done = new Set<string>()
  let last: string | null | undefined
  const settle = () => {
    for (const id of pending) {
      stats.refresh(id)
      done.add(id)
    }
    pending.clear()
  }
  return {
    fileWritten(path: string, runs: Iterable<string>) {
      const key = sessionOf(path)
      if (last !== undefined && key !== last) settle()
      last = key
      for (const id of runs) pending.add(id)
    },
    /** Before COMMIT: every run written to and not summed up since. */
    end(touched: Iterable<string>) {
      for (const id of touched) if (!done.has(id)) pending.add(id)
      settle()
    },
  }
}
