import type { SpanKind } from '../../shared/dto'

// The shape of a run in time: what bounded its wall time, and how busy its agents were.

export interface StructSpan {
  id: string
  parentId: string | null
  agentId: string | null
  kind: SpanKind
  startMs: number | null
  endMs: number | null
}

interface Node {
  span: StructSpan | null // null: the virtual root above every top-level span
  start: number
  end: number
  children: Node[]
}

export interface CriticalSegment {
  /** null: time on the path that no span accounts for (only between top-level spans). */
  spanId: string | null
  agentId: string | null
  kind: SpanKind | null
  startMs: number
  endMs: number
}

export interface CriticalPath {
  segments: CriticalSegment[]
  /** The distinct spans of the path in time order. */
  spanIds: string[]
  byKind: { kind: SpanKind | 'gap'; ms: number }[]
  byAgent: { agentId: string | null; ms: number }[]
}

const valid = (s: StructSpan): s is StructSpan & { startMs: number; endMs: number } =>
  s.startMs !== null && s.endMs !== null && s.endMs >= s.startMs

/**
 * Builds the tree the walk uses: each span hangs under its nearest ancestor (by parentId) whose
 * interval contains its own. Sources do not always nest: Claude Code's tool call is a child of
 * the LLM response that asked for it but runs after it, so it is re-homed under the agent span.
 * A span with no containing ancestor becomes top-level.
 */
function containmentTree(spans: StructSpan[]): Node {
  const byId = new Map(spans.map((s) => [s.id, s]))
  const nodes = new Map<string, Node>()
  for (const s of spans) if (valid(s)) nodes.set(s.id, { span: s, start: s.startMs, end: s.endMs, children: [] })
  const root: Node = { span: null, start: Infinity, end: -Infinity, children: [] }
  for (const node of nodes.values()) {
    root.start = Math.min(root.start, node.start)
    root.end = Math.max(root.end, node.end)
    let home = root
    const seen = new Set<string>([node.span!.id])
    for (let p = node.span!.parentId; p !== null && !seen.has(p); p = byId.get(p)?.parentId ?? null) {
      seen.add(p)
      const a = nodes.get(p)
      if (a && a.start <= node.start && node.end <= a.end) {
        home = a
        break
      }
    }
    home.children.push(node)
  }
  // Latest end first; on a tie the longer (earlier-starting) span, then the id, so the walk is deterministic.
  const order = (a: Node, b: Node) => b.end - a.end || a.start - b.start || (a.span!.id < b.span!.id ? -1 : 1)
  for (const n of [root, ...nodes.values()]) n.children.sort(order)
  return root
}

/**
 * The critical path, by a backward walk (the algorithm of Jaeger's critical-path view):
 *  - a cursor starts at the end of a node (for the whole run: the latest end of any span);
 *  - the node's child that finished last at or before the cursor (and started before it) is the
 *    work the node waited on: the time between that child's end and the cursor is the node's own
 *    (self) time, the walk descends into the child, and the cursor moves to the child's start;
 *  - when no child finished before the cursor, the rest down to the node's start is self time.
 * At the top level there is no parent to own such time: if a top-level span was still running at
 * the cursor, the earliest-started such span is followed (clipped at the cursor); otherwise the
 * time is a gap. The segments tile [first start, last end] exactly, so they sum to the wall time.
 */
export function criticalPath(spans: StructSpan[]): CriticalPath {
  const root = containmentTree(spans)
  const out: CriticalSegment[] = []
  const emit = (n: Node, startMs: number, endMs: number) => {
    if (endMs > startMs) out.push({ spanId: n.span?.id ?? null, agentId: n.span?.agentId ?? null, kind: n.span?.kind ?? null, startMs, endMs })
  }
  if (root.children.length > 0) {
    const stack = [{ node: root, cursor: root.end, next: 0 }]
    while (stack.length > 0) {
      const f = stack[stack.length - 1]
      const kids = f.node.children
      // The cursor only moves back, so a child skipped once (ends after it, or starts at/after it) stays skipped.
      while (f.next < kids.length && (kids[f.next].end > f.cursor || kids[f.next].start >= f.cursor)) f.next++
      let child: Node | undefined = kids[f.next]
      let childEnd = child?.end ?? 0
      if (!child && f.node === root) {
        child = kids.filter((k) => k.start < f.cursor).sort((a, b) => a.start - b.start)[0]
        childEnd = f.cursor
      }
      if (!child) {
        emit(f.node, f.node.start, f.cursor)
        stack.pop()
        continue
      }
      if (child === kids[f.next]) f.next++
      emit(f.node, childEnd, f.cursor)
      f.cursor = child.start
      stack.push({ node: child, cursor: childEnd, next: 0 })
    }
  }
  out.reverse()
  const byKind = new Map<SpanKind | 'gap', number>()
  const byAgent = new Map<string | null, number>()
  const ids: string[] = []
  for (const s of out) {
    const ms = s.endMs - s.startMs
    byKind.set(s.kind ?? 'gap', (byKind.get(s.kind ?? 'gap') ?? 0) + ms)
    if (s.spanId !== null) byAgent.set(s.agentId, (byAgent.get(s.agentId) ?? 0) + ms)
    if (s.spanId !== null && !ids.includes(s.spanId)) ids.push(s.spanId)
  }
  const desc = <K>(m: Map<K, number>) => [...m].sort((a, b) => b[1] - a[1])
  return {
    segments: out,
    spanIds: ids,
    byKind: desc(byKind).map(([kind, ms]) => ({ kind, ms })),
    byAgent: desc(byAgent).map(([agentId, ms]) => ({ agentId, ms })),
  }
}

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
    a.extent = [Math.min(a.extent[0], s.startMs), Math.max(a.extent[1], s.endMs)]
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
