import type { Database } from 'better-sqlite3'

// The one pass over a run's spans behind the dashboard's aggregates (see breakdown.ts).
//
// The breakdown used to take five passes: a GROUP BY for agents' lifetimes, a GROUP BY for the
// per agent / kind / name sums, the LLM calls read row by row, and two GROUP BYs for the activity
// heatmap. On a 100 k-span run each GROUP BY sorted every row in a temporary B-tree and reading
// 50 k calls as JS arrays cost as much again: 0.4-0.6 s on a run not opened before, and over a
// second while the browser competed for the CPU. Here SQLite reads the rows once, in the same
// order (the primary key's) as those queries did, and hands each row to an aggregate function
// registered on the connection, as series.ts does: no row becomes an object and nothing is sorted.
//
// The figures are the same numbers to the last bit: sums are SQLite's SUM (Kahan-Babuska-Neumaier
// compensated, exact for integers), taken in SQLite's order (its GROUP BY sorter keeps rows in scan
// order within a group), and the groups come out in GROUP BY's order (BINARY collation).

/** Span kinds as passed to the fold; 0 (agent spans) only counts towards agents' lifetimes. */
export const KINDS = ['agent', 'llm', 'tool', 'task', 'other'] as const
const LLM = 1
const TOOL = 2

// Per group, in a Float64Array: counts, compensated sums (sum and error term) and the maximum.
const N = 0, ERRORS = 1, INPUT = 2, OUTPUT = 4, CACHE_CREATION = 6, CACHE_READ = 8, COST = 10, MS = 12, MAX_MS = 14, TIMED = 15, COST_N = 16
const GROUP_FIELDS = 17

/** SQLite's SUM step (func.c kahanBabuskaNeumaierStep) on a (sum, error) pair at `i`. */
export function sumStep(a: Float64Array, i: number, x: number): void {
  const s = a[i]
  const t = s + x
  a[i + 1] += Math.abs(s) > Math.abs(x) ? s - t + x : x - t + s
  a[i] = t
}

/** SQLite's SUM result: the sum plus its error term, unless that overflowed. */
export const sumOf = (a: Float64Array, i: number) => (Number.isFinite(a[i + 1]) ? a[i] + a[i + 1] : a[i])

export interface GroupSums {
  agentId: string | null
  kind: (typeof KINDS)[number]
  key: string
  delegation: number
  n: number
  errors: number
  input: number
  output: number
  cacheCreation: number
  cacheRead: number
  cost: number
  ms: number
  maxMs: number | null
  /** Spans with both times (the mean's denominator). */
  timed: number
}

interface GroupAcc {
  agentId: string | null
  kind: number
  key: string
  delegation: number
  v: Float64Array
}

export interface ActivityGrid {
  startMs: number
  bucketMs: number
  buckets: number
  /** Agent id → row of the grid. */
  rows: Map<string, number>
}

export interface RunFold {
  /** Per agent: first start and last end (or start) of its spans, as timelineAgents reads them. */
  lifetimes: Map<string, { startMs: number | null; endMs: number | null }>
  /** Per agent, kind (not agent spans), name (model for LLM calls) and delegation, in GROUP BY order. */
  groups: GroupSums[]
  /** LLM calls with both times, in scan order: their latencies, and (latency, tokens) of those with token counts. */
  calls: { latency: number[]; withTokens: [number, number][] }
  /** Busy ms per agent row and bucket (row-major). */
  busy: Float64Array
}

/** UTF-8 byte order (SQLite's BINARY collation): code point order, unlike `<` on UTF-16 strings. */
export function binaryCompare(a: string, b: string): number {
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    const x = a.codePointAt(i)!
    const y = b.codePointAt(j)!
    if (x !== y) return x - y
    i += x > 0xffff ? 2 : 1
    j += y > 0xffff ? 2 : 1
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1
}

// The fold the running query feeds. Queries run synchronously, one at a time per thread.
type Step = (agentId: string | null, kind: number, key: string, delegation: number, error: number, input: number | null, output: number | null, cacheCreation: number | null, cacheRead: number | null, cost: number | null, start: number | null, end: number | null) => undefined
let folding: Step | null = null
const registered = new WeakSet<Database>()

function registerFold(db: Database): string {
  if (!registered.has(db)) {
    // Thirteen parameters: better-sqlite3 takes the step's length (less the accumulator) as the arity.
    const step = (_acc: null, a: string | null, k: number, key: string, d: number, e: number, i: number | null, o: number | null, cc: number | null, cr: number | null, c: number | null, s: number | null, t: number | null): undefined =>
      folding!(a, k, key, d, e, i, o, cc, cr, c, s, t)
    db.aggregate('swarmscope_breakdown', { start: null, step: step as unknown as (acc: null, x: null) => undefined, result: () => null })
    registered.add(db)
  }
  return 'swarmscope_breakdown'
}

/** What the fold keeps per agent (one Map lookup a row finds all of it). */
interface AgentAcc {
  startMs: number | null
  endMs: number | null
  /** Name (model for LLM calls) → group per kind and delegation (slot kind * 2 + delegation). */
  byKey: Map<string, (GroupAcc | undefined)[]>
  /** Row in the activity grid; -1 for an agent missing from the agents table. */
  row: number
}

/** Reads every span of the run once; `grid` places the busy time of the activity heatmap. */
export function foldRun(db: Database, runId: string, grid: ActivityGrid): RunFold {
  const agents = new Map<string | null, AgentAcc>()
  const accs: GroupAcc[] = []
  const calls: RunFold['calls'] = { latency: [], withTokens: [] }
  const { startMs, bucketMs, buckets, rows } = grid
  const cells = rows.size * buckets
  // Busy time inside one bucket is summed per cell as SQLite summed it; crossing spans are split after.
  const inside = new Float64Array(cells * 2)
  const crossing: number[] = []

  folding = (agentId, kind, key, delegation, error, input, output, cacheCreation, cacheRead, cost, start, end) => {
    let agent = agents.get(agentId)
    if (!agent) agents.set(agentId, (agent = { startMs: null, endMs: null, byKey: new Map(), row: agentId === null ? -1 : (rows.get(agentId) ?? -1) }))
    if (start !== null && (agent.startMs === null || start < agent.startMs)) agent.startMs = start
    const last = end ?? start
    if (last !== null && (agent.endMs === null || last > agent.endMs)) agent.endMs = last
    if (kind === 0) return
    let slots = agent.byKey.get(key)
    if (!slots) agent.byKey.set(key, (slots = []))
    const slot = kind * 2 + delegation
    let g = slots[slot]
    if (!g) accs.push((slots[slot] = g = { agentId, kind, key, delegation, v: new Float64Array(GROUP_FIELDS).fill(NaN, MAX_MS, MAX_MS + 1) }))
    const v = g.v
    v[N]++
    v[ERRORS] += error
    if (input !== null) sumStep(v, INPUT, input)
    if (output !== null) sumStep(v, OUTPUT, output)
    if (cacheCreation !== null) sumStep(v, CACHE_CREATION, cacheCreation)
    if (cacheRead !== null) sumStep(v, CACHE_READ, cacheRead)
    if (cost !== null) {
      sumStep(v, COST, cost)
      v[COST_N]++
    }
    if (start === null || end === null) return
    const ms = end - start
    sumStep(v, MS, ms)
    if (!(ms <= v[MAX_MS])) v[MAX_MS] = ms
    v[TIMED]++
    if (kind === LLM) {
      calls.latency.push(ms)
      // Tokens as SQL's COALESCE(a,0) + COALESCE(b,0) + … added them: left to right.
      if (input !== null) calls.withTokens.push([ms, input + (output ?? 0) + (cacheCreation ?? 0) + (cacheRead ?? 0)])
    }
    // Busy time: LLM calls, and tool calls that did not start a subagent (that time is the subagent's).
    if (agentId === null || !(end > start) || !(kind === LLM || (kind === TOOL && !delegation))) return
    const b = Math.trunc((start - startMs) / bucketMs)
    if (b !== Math.trunc((end - 1 - startMs) / bucketMs)) crossing.push(agent.row, start, end)
    else if (agent.row >= 0 && b >= 0 && b < buckets) sumStep(inside, (agent.row * buckets + b) * 2, ms)
  }
  try {
    db.prepare(
      `SELECT ${registerFold(db)}(agent_id, CASE kind WHEN 'llm' THEN 1 WHEN 'tool' THEN 2 WHEN 'task' THEN 3 WHEN 'other' THEN 4 ELSE 0 END,
         CASE WHEN kind = 'llm' THEN COALESCE(model, name) ELSE name END,
         s.id IN (SELECT parent_span_id FROM agents d WHERE d.run_id = @id AND parent_span_id IS NOT NULL),
         status = 'error', input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, cost_usd, start_ms, end_ms)
       FROM spans s WHERE run_id = @id`,
    )
      .raw()
      .get({ id: runId })
  } finally {
    folding = null
  }

  const busy = new Float64Array(cells)
  for (let c = 0; c < cells; c++) busy[c] = sumOf(inside, c * 2)
  for (let i = 0; i < crossing.length; i += 3) {
    const [a, s, e] = [crossing[i], crossing[i + 1], crossing[i + 2]]
    if (a < 0) continue
    for (let b = Math.max(0, Math.floor((s - startMs) / bucketMs)); b < buckets && startMs + b * bucketMs < e; b++) {
      const lo = Math.max(s, startMs + b * bucketMs)
      const hi = Math.min(e, startMs + (b + 1) * bucketMs)
      if (hi > lo) busy[a * buckets + b] += hi - lo
    }
  }

  // GROUP BY agent, kind, key, delegation: NULL first, text in BINARY order.
  accs.sort((x, y) =>
    x.agentId !== y.agentId ? (x.agentId === null ? -1 : y.agentId === null ? 1 : binaryCompare(x.agentId, y.agentId))
      : x.kind !== y.kind ? binaryCompare(KINDS[x.kind], KINDS[y.kind])
        : x.key !== y.key ? binaryCompare(x.key, y.key)
          : x.delegation - y.delegation,
  )
  const groups = accs.map(({ agentId, kind, key, delegation, v }): GroupSums => ({
    agentId, kind: KINDS[kind], key, delegation, n: v[N], errors: v[ERRORS],
    input: sumOf(v, INPUT), output: sumOf(v, OUTPUT), cacheCreation: sumOf(v, CACHE_CREATION), cacheRead: sumOf(v, CACHE_READ),
    cost: v[COST_N] > 0 ? sumOf(v, COST) : 0, ms: sumOf(v, MS), maxMs: Number.isNaN(v[MAX_MS]) ? null : v[MAX_MS], timed: v[TIMED],
  }))
  const lifetimes = new Map<string, { startMs: number | null; endMs: number | null }>()
  for (const [id, a] of agents) if (id !== null) lifetimes.set(id, { startMs: a.startMs, endMs: a.endMs })
  return { lifetimes, groups, calls, busy }
}
