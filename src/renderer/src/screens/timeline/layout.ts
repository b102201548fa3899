import type { TimelineWindow } from '../../../../shared/spans-dto'

// Lays out a timeline window as rows of rectangles: per agent (depth-first) a row for the agent
// itself, one for its LLM calls and as many as its overlapping tool calls need. Pure and
// allocation-light: it runs in a Web Worker, and returns typed arrays the chart reads as
// columns of a dataset.

export const KIND_GROUP = [0, 1, 2, 2, 2] // agent, llm, tool, task, other → row group
const GROUP_LABEL = ['', 'LLM calls', 'tools']

export const FLAG_ERROR = 1
export const FLAG_CRITICAL = 2
export const FLAG_BUCKET = 4
/** Bits above the flags: how dense a bucket is (0 one span, 1 a few, 2 many). */
export const LEVEL_SHIFT = 3

export interface TimelineRow {
  label: string
  agent: number
  group: number
  depth: number
}

export interface LaidOut {
  rows: TimelineRow[]
  /** x in ms since the run's start. */
  x0: Float64Array
  x1: Float64Array
  row: Float64Array
  kind: Float64Array
  flags: Float64Array
  /** Spans merged into this rectangle (1 for a single span). */
  count: Float64Array
  /** Index into window.spans, or −1 for a bucket. */
  span: Float64Array
  /** Lanes per agent and group, carried to the next layout so rows do not jump while panning. */
  lanes: Record<string, number>
}

export interface LayoutInput {
  win: TimelineWindow
  depth: number
  critical: string[]
  lanes: Record<string, number>
}

export function layoutTimeline({ win, depth, critical, lanes: previous }: LayoutInput): LaidOut {
  const origin = win.runStartMs ?? win.fromMs
  const groups = depth + 1
  const nAgents = win.agents.length + 1 // the last slot is "no agent"
  const slot = (agent: number) => (agent < 0 ? nAgents - 1 : agent)
  const key = (agent: number, group: number) => `${slot(agent)}:${group}`

  // Pack spans into lanes: each lane holds spans that do not overlap, first fit in start order.
  const s = win.spans
  const n = s.id.length
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => s.start[a] - s.start[b])
  const laneOf = new Int32Array(n)
  const ends = new Map<string, number[]>()
  for (const i of order) {
    const k = key(s.agent[i], KIND_GROUP[s.kind[i]] ?? 2)
    const lanes = ends.get(k) ?? []
    ends.set(k, lanes)
    // Agent rows are one lane: an agent span covers its own lifetime.
    let lane = KIND_GROUP[s.kind[i]] === 0 ? 0 : lanes.findIndex((end) => end <= s.start[i])
    if (lane < 0) lane = lanes.length
    lanes[lane] = Math.max(lanes[lane] ?? -Infinity, s.end[i])
    laneOf[i] = lane
  }
  const lanes: Record<string, number> = { ...previous }
  for (const [k, l] of ends) lanes[k] = Math.max(lanes[k] ?? 1, l.length)

  // Rows: agents depth-first (the core's order), then "no agent" if anything has none.
  const rows: TimelineRow[] = []
  const firstRow = new Map<string, number>()
  const hasOrphans = s.agent.some((a) => a < 0) || win.buckets.agent.some((a) => a < 0)
  for (let a = 0; a < nAgents; a++) {
    if (a === nAgents - 1 && !hasOrphans) break
    const agent = win.agents[a]
    const name = agent ? agent.name : '(no agent)'
    const indent = agent ? agent.depth : 0
    for (let g = 0; g < groups; g++) {
      const k = `${a}:${g}`
      firstRow.set(k, rows.length)
      const count = g === 0 ? 1 : Math.max(1, lanes[k] ?? 1)
      for (let l = 0; l < count; l++) rows.push({ label: g === 0 ? name : `${GROUP_LABEL[g]}${count > 1 ? ` ${l + 1}` : ''}`, agent: a, group: g, depth: indent })
    }
  }

  const b = win.buckets
  const total = n + b.count.length
  const out: LaidOut = {
    rows, lanes,
    x0: new Float64Array(total), x1: new Float64Array(total), row: new Float64Array(total), kind: new Float64Array(total),
    flags: new Float64Array(total), count: new Float64Array(total), span: new Float64Array(total),
  }
  const crit = new Set(critical)
  let j = 0
  for (let i = 0; i < n; i++) {
    const g = KIND_GROUP[s.kind[i]] ?? 2
    if (g >= groups) continue
    out.x0[j] = s.start[i] - origin
    out.x1[j] = s.end[i] - origin
    out.row[j] = (firstRow.get(key(s.agent[i], g)) ?? 0) + laneOf[i]
    out.kind[j] = s.kind[i]
    out.flags[j] = (s.error[i] ? FLAG_ERROR : 0) | (crit.has(s.id[i]) ? FLAG_CRITICAL : 0)
    out.count[j] = 1
    out.span[j] = i
    j++
  }
  // Buckets side by side in one row (a gap of at most one bucket, no errors) become one
  // rectangle: a busy lane is a few bars instead of one per pixel, which keeps zoom frames cheap.
  // Its shade then says how many spans it holds per bucket on average.
  const order2 = Array.from({ length: b.count.length }, (_, i) => i)
    .filter((i) => (KIND_GROUP[b.kind[i]] ?? 2) < groups)
    .map((i) => ({ i, row: firstRow.get(key(b.agent[i], KIND_GROUP[b.kind[i]] ?? 2)) ?? 0 }))
    .sort((p, q) => p.row - q.row || b.start[p.i] - b.start[q.i])
  const bucketW = b.count.length ? b.end[0] - b.start[0] : 0
  const spanItems = j
  const level = (perBucket: number) => (perBucket < 1.5 ? 0 : perBucket < 6 ? 1 : 2)
  const first = new Float64Array(total) // x0 of the first bucket merged into item j
  for (const { i, row } of order2) {
    const prev = j - 1
    const merge = prev >= spanItems && out.row[prev] === row && !b.errors[i] && !(out.flags[prev] & FLAG_ERROR) &&
      out.kind[prev] === b.kind[i] && b.start[i] - origin <= out.x1[prev] + bucketW + 1e-6
    if (merge) {
      out.x1[prev] = b.end[i] - origin
      out.count[prev] += b.count[i]
      const buckets = Math.max(1, Math.round((out.x1[prev] - first[prev]) / Math.max(bucketW, 1e-9)))
      out.flags[prev] = FLAG_BUCKET | (level(out.count[prev] / buckets) << LEVEL_SHIFT)
      continue
    }
    const lv = level(b.count[i])
    first[j] = b.start[i] - origin
    out.x0[j] = b.start[i] - origin
    out.x1[j] = b.end[i] - origin
    out.row[j] = row
    out.kind[j] = b.kind[i]
    out.flags[j] = FLAG_BUCKET | (b.errors[i] ? FLAG_ERROR : 0) | (lv << LEVEL_SHIFT)
    out.count[j] = b.count[i]
    out.span[j] = -1
    j++
  }
  // Trim to what was kept (depth may have left some out).
  for (const c of ['x0', 'x1', 'row', 'kind', 'flags', 'count', 'span'] as const) out[c] = out[c].slice(0, j)
  return out
}

/**
 * The same layout with the critical path marked anew: the analysis (and so the path) usually
 * arrives after the first window, and re-marking on the UI thread avoids a new request and layout.
 */
export function flagCritical(laid: LaidOut, spanIds: string[], critical: string[]): LaidOut {
  const crit = new Set(critical)
  const flags = laid.flags.slice()
  for (let i = 0; i < flags.length; i++) {
    if (laid.span[i] < 0) continue
    flags[i] = crit.has(spanIds[laid.span[i]]) ? flags[i] | FLAG_CRITICAL : flags[i] & ~FLAG_CRITICAL
  }
  return { ...laid, flags }
}
