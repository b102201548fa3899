/**
 * What one import of a growing transcript hands the next, and the agent ids both rely on:
 * the next import reads on from the last offset, so the lines its first lines answer and the
 * subagents named so far must come from here.
 */

export const MAIN_AGENT = 'main'
/** Old transcripts have sidechain lines with no agentId and no parent to inherit one from. */
export const UNRESOLVED_SIDECHAIN = 'sidechain'

export interface ResumeState {
  /** uuid → [timestamp, agent] of recent lines: the parent of a new line is almost always recent. */
  recent?: [string, number, string][]
  /**
   * The `<run>/<agent>` subagents the file named so far: a later import's sidechain lines that
   * name no agent belong to the only one, as they would in one import of the whole file.
   */
  subagents?: string[]
  /**
   * Runs whose `sidechain` stand-in holds lines (no subagent, or several, was named by then): if
   * a later import names exactly one, they are given to it, as one import of the whole file would.
   */
  standIn?: string[]
}

/**
 * uuid → line lookups (and tool call ids) kept while parsing: a parent is almost always one of
 * the last few lines, and memory stays bounded on a huge session. Importing one 1 GB session
 * (470k lines, 158k tool calls) peaked at 311 MB RSS keeping 50,000 lines and every call id,
 * 310 MB keeping 50,000 of each, 256-270 MB keeping 10,000 of each.
 */
export const RECENT_LIMIT = 10_000
/**
 * Lines carried over to the next import of a growing file: the last few, plus each agent's last
 * line (interleaved sidechains continue from their own last line, however far back it is).
 * The state is rewritten on every import of a live session, so it stays small: 512 lines of a
 * real transcript made ~40 KB, ten database pages rewritten per append.
 */
export const RESUME_KEEP = 16
/** A `<run>/<agent>` key of a named subagent: not main, not the stand-in for sidechains that name none. */
export const isSubagent = (key: string) => !key.endsWith(`/${MAIN_AGENT}`) && !key.endsWith(`/${UNRESOLVED_SIDECHAIN}`)

/** The lines kept for the next import, oldest first: the last RESUME_KEEP and each agent's last. */
export function resumeLines(recent: { entries(): IterableIterator<[string, [number, string]]> }): [string, number, string][] {
  const entries = [...recent.entries()]
  const lastOfAgent = new Map<string, number>()
  entries.forEach(([, [, agent]], i) => lastOfAgent.set(agent, i))
  const keep = new Set(lastOfAgent.values())
  for (let i = Math.max(0, entries.length - RESUME_KEEP); i < entries.length; i++) keep.add(i)
  return [...keep].sort((a, b) => a - b).map((i) => [entries[i][0], entries[i][1][0], entries[i][1][1]])
}
