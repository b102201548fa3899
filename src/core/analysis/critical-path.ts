import type { SpanKind } from '../../shared/dto'

// What bounded a run's wall time: the critical path through its spans.

export interface StructSpan {
  id: string
  parentId: string | null
  agentId: string | null
  kind: SpanKind
  startMs: number | null
  endMs: number | null
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

export const valid = (s: StructSpan): s is StructSpan & { startMs: number; endMs: number } =>
  s.startMs !== null && s.endMs !== null && s.endMs >= s.startMs

/**
 * The tree the walk uses, by span index (the root is index n, spanning every span): each span
 * hangs under its nearest ancestor (by parentId) whose interval contains its own. Sources do not
 * always nest: Claude Code's tool call is a child of the LLM response that asked for it but runs
 * after it, so it is re-homed under the agent span. A span with no containing ancestor becomes
 * top-level. Indices and typed arrays rather than a node object per span: runs have 10⁵ spans.
 */
function containmentTree(spans: StructSpan[]) {
  const n = spans.length
  const root = n
  const start = new Float64Array(n + 1)
  const end = new Float64Array(n + 1)
  // By id, the last span with that id (as a Map built from the list would hold it).
  const byId = new Map<string, number>()
  const nodeOf = new Map<string, number>()
  for (let i = 0; i < n; i++) {
    const s = spans[i]
    byId.set(s.id, i)
    if (valid(s)) nodeOf.set(s.id, i)
  }
  start[root] = Infinity
  end[root] = -Infinity
  const children: (number[] | undefined)[] = new Array(n + 1)
  for (const i of nodeOf.values()) {
    const s = spans[i]
    start[i] = s.startMs as number
    end[i] = s.endMs as number
    start[root] = Math.min(start[root], start[i])
    end[root] = Math.max(end[root], end[i])
  }
  for (const i of nodeOf.values()) {
    let home = root
    // Cycle guard, only for long chains: re-checking an ancestor that already failed changes nothing.
    let seen: Set<string> | null = null
    let steps = 0
    const own = spans[i].id
    for (let p = spans[i].parentId; p !== null && p !== own; ) {
      if (++steps > 32) {
        seen ??= new Set<string>([own])
        if (seen.has(p)) break
        seen.add(p)
      }
      const a = nodeOf.get(p)
      if (a !== undefined && start[a] <= start[i] && end[i] <= end[a]) {
        home = a
        break
      }
      const next = byId.get(p)
      p = next === undefined ? null : spans[next].parentId
    }
    ;(children[home] ??= []).push(i)
  }
  // Latest end first; on a tie the longer (earlier-starting) span, then the id, so the walk is deterministic.
  const order = (a: number, b: number) => end[b] - end[a] || start[a] - start[b] || (spans[a].id < spans[b].id ? -1 : 1)
  for (const c of children) c?.sort(order)
  return { root, start, end, children }
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
  const { root, start, end, children } = containmentTree(spans)
  const out: CriticalSegment[] = []
  const emit = (node: number, startMs: number, endMs: number) => {
    const s = node === root ? null : spans[node]
    if (endMs > startMs) out.push({ spanId: s?.id ?? null, agentId: s?.agentId ?? null, kind: s?.kind ?? null, startMs, endMs })
  }
  const none: number[] = []
  if (children[root]?.length) {
    const stack = [{ node: root, cursor: end[root], next: 0 }]
    while (stack.length > 0) {
      const f = stack[stack.length - 1]
      const kids = children[f.node] ?? none
      // The cursor only moves back, so a child skipped once (ends after it, or starts at/after it) stays skipped.
      while (f.next < kids.length && (end[kids[f.next]] > f.cursor || start[kids[f.next]] >= f.cursor)) f.next++
      let child = f.next < kids.length ? kids[f.next] : -1
      let childEnd = child >= 0 ? end[child] : 0
      if (child < 0 && f.node === root) {
        // The earliest-started top-level span still running at the cursor (the first such on a tie).
        for (const k of kids) if (start[k] < f.cursor && (child < 0 || start[k] < start[child])) child = k
        childEnd = f.cursor
      } else if (child >= 0) f.next++
      if (child < 0) {
        emit(f.node, start[f.node], f.cursor)
        stack.pop()
        continue
      }
      emit(f.node, childEnd, f.cursor)
      f.cursor = start[child]
      stack.push({ node: child, cursor: childEnd, next: 0 })
    }
  }
  out.reverse()
  const byKind = new Map<SpanKind | 'gap', number>()
  const byAgent = new Map<string | null, number>()
  // A Set keeps first-seen order: the distinct spans in time order, without a quadratic search.
  const ids = new Set<string>()
  for (const s of out) {
    const ms = s.endMs - s.startMs
    byKind.set(s.kind ?? 'gap', (byKind.get(s.kind ?? 'gap') ?? 0) + ms)
    if (s.spanId !== null) byAgent.set(s.agentId, (byAgent.get(s.agentId) ?? 0) + ms)
    if (s.spanId !== null) ids.add(s.spanId)
  }
  const desc = <K>(m: Map<K, number>) => [...m].sort((a, b) => b[1] - a[1])
  return {
    segments: out,
    spanIds: [...ids],
    byKind: desc(byKind).map(([kind, ms]) => ({ kind, ms })),
    byAgent: desc(byAgent).map(([agentId, ms]) => ({ agentId, ms })),
  }
}
