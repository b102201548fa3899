// The shape of a run in time: what bounded its wall time (./critical-path), and how busy its agents were.

import { criticalPath, valid, type CriticalPath, type StructSpan } from './critical-path'

export { criticalPath, type CriticalPath, type CriticalSegment, type StructSpan } from './critical-path'

type Interval = [number, number]

/** Sorted, disjoint union of intervals. */
export function unionIntervals(xs: Interval[]): Interval[] {
  const asc = [...xs].sort((a, b) => a[0] - b[0])
  const out: Interval[] = []
  for (const [s, e] of asc) {
    const last = out[out.length - 1]
    if (last && s <= last[1]) last[1] = Math.max(last[1], e)
    else out.push([s, e])
  }
  return out
}

const length = (xs: Interval[]) => xs.reduce((t, [s, e]) => t + (e - s), 0)

export interface AgentActivity {
  agentId: string
  startMs: number
  endMs: number
  lifetimeMs: number
  /** Union of the agent's own LLM, tool, task and other spans. */
  workingMs: number
  /** Lifetime minus working: waiting for the user, for subagents, or for nothing recorded. */
  waitingMs: number
  /** Of the waiting time, the part spent in tool calls that ran a subagent. */
  delegatingMs: number
}

export interface Concurrency {
  agents: number
  wallMs: number
  busyMs: number
  averageConcurrency: number | null
  peakConcurrency: number
  peakAtMs: number | null
  /** busy time / (wall time × agents): 1 when every agent works the whole run. */
  parallelEfficiency: number | null
}

/**
 * Per-agent working vs waiting time and the concurrency of agents. An agent's lifetime is the
 * extent of all its spans (its agent span included); it is working while one of its own work
 * spans runs. A tool call that started a subagent (the parent span of an agent span) is not work
 * of the caller but waiting on the delegate, so it counts as delegating instead.
 */
export function agentActivity(spans: StructSpan[], delegationSpanIds: Iterable<string> = []): { agents: AgentActivity[]; concurrency: Concurrency } {
  // A subagent with no spans of its own (its transcript is missing) is known only from the agents
  // table, so callers pass those parent spans in; agent spans' parents are found here.
  const delegations = new Set([...delegationSpanIds, ...spans.filter((s) => s.kind === 'agent' && s.parentId).map((s) => s.parentId as string)])
  const per = new Map<string, { extent: Interval; work: Interval[]; delegate: Interval[] }>()
  let wallStart = Infinity
  let wallEnd = -Infinity
  for (const s of spans) {
    if (!valid(s)) continue
    wallStart = Math.min(wallStart, s.startMs)
    wallEnd = Math.max(wallEnd, s.endMs)
    if (s.agentId === null) continue
    let a = per.get(s.agentId)
    if (!a) per.set(s.agentId, (a = { extent: [s.startMs, s.endMs], work: [], delegate: [] }))
    // In place: a new pair per span was most of this loop's garbage.
    a.extent[0] = Math.min(a.extent[0], s.startMs)
    a.extent[1] = Math.max(a.extent[1], s.endMs)
    if (s.kind === 'agent') continue
    ;(delegations.has(s.id) ? a.delegate : a.work).push([s.startMs, s.endMs])
  }
  const agents: AgentActivity[] = []
  const events: [number, number][] = []
  for (const [agentId, a] of per) {
    const work = unionIntervals(a.work)
    const workingMs = length(work)
    const lifetimeMs = a.extent[1] - a.extent[0]
    const delegate = unionIntervals(a.delegate)
    // Delegation that overlapped own work is work time already; count only the rest.
    const delegatingMs = Math.max(0, length(unionIntervals([...work, ...delegate])) - workingMs)
    agents.push({ agentId, startMs: a.extent[0], endMs: a.extent[1], lifetimeMs, workingMs, waitingMs: lifetimeMs - workingMs, delegatingMs })
    for (const [s, e] of work) if (e > s) events.push([s, 1], [e, -1])
  }
  agents.sort((x, y) => y.workingMs - x.workingMs || (x.agentId < y.agentId ? -1 : 1))
  // Sweep line; at equal times ends come first, so back-to-back spans are not counted as overlap.
  events.sort((x, y) => x[0] - y[0] || x[1] - y[1])
  let level = 0
  let peak = 0
  let peakAt: number | null = null
  for (const [t, d] of events) {
    level += d
    if (level > peak) [peak, peakAt] = [level, t]
  }
  const wallMs = Number.isFinite(wallStart) ? wallEnd - wallStart : 0
  const busyMs = agents.reduce((t, a) => t + a.workingMs, 0)
  const n = agents.length
  return {
    agents,
    concurrency: {
      agents: n,
      wallMs,
      busyMs,
      averageConcurrency: wallMs > 0 ? busyMs / wallMs : null,
      peakConcurrency: peak,
      peakAtMs: peakAt,
      parallelEfficiency: wallMs > 0 && n > 0 ? busyMs / (wallMs * n) : null,
    },
  }
}

export interface RunStructure {
  startMs: number | null
  endMs: number | null
  wallMs: number
  criticalPath: CriticalPath
  concurrency: Concurrency
  agents: AgentActivity[]
  /** Spans left out for lacking a start or an end (still running, or never closed). */
  openSpans: number
}

export function analyzeStructure(spans: StructSpan[], delegationSpanIds: Iterable<string> = []): RunStructure {
  const ok = spans.filter(valid)
  const { agents, concurrency } = agentActivity(spans, delegationSpanIds)
  // reduce, not Math.min(...xs): a spread of a million spans overflows the call stack.
  return {
    startMs: ok.length ? ok.reduce((m, s) => Math.min(m, s.startMs), Infinity) : null,
    endMs: ok.length ? ok.reduce((m, s) => Math.max(m, s.endMs), -Infinity) : null,
    wallMs: concurrency.wallMs,
    criticalPath: criticalPath(spans),
    concurrency,
    agents,
    openSpans: spans.length - ok.length,
  }
}
