import { EntryError, Fields, rejectEntry, show, type Path } from './checks'
import { isObj, numericLeaves, unitOf, type JsonCtx } from './project'

// claude-flow's `.claude-flow/metrics/` files. Some values are measured (timers, os and
// process counters); others are constants, placeholders or self-assessments that claude-flow
// writes whatever happened. Those are stored with reported=1 so no chart treats them as data.

/** Per file stem: which numeric paths are claims rather than measurements. */
const REPORTED: Record<string, (path: string) => boolean> = {
  // v3 writes optimizations.cacheHitRate 0.78 and avgResponseTime 45 as constants; memoryUsage and uptime are process.* readings.
  performance: (p) => p.startsWith('optimizations.'),
  // Written by `init` as zeros with a "grows as you use Ruflo" note, and rarely updated by real work.
  learning: () => true,
  'v3-progress': () => true,
  // Estimates of a statusline helper (estimated_agents…), not counts of anything observed.
  'swarm-activity': () => true,
  // The counts of a consolidate run that actually happened.
  consolidation: () => false,
  // `health` is claude-flow's own score; cpu, memory, requests are readings.
  system: (p) => p === 'health',
}
/** The snapshot files claude-flow is known to write: found empty or damaged, they are reported, not passed over. */
export const KNOWN_SNAPSHOTS = new Set(Object.keys(REPORTED))
/** A metrics file we do not know: claude-flow's claim, not a measurement we can vouch for. */
const UNKNOWN_FILE = () => true

const TIME_KEYS = ['timestamp', 'lastCheck', 'lastActivity', 'savedAt', 'updatedAt', 'startTime', 'initialized', 'scannedAt']

/** A snapshot object (v2 performance.json, v3 metrics/*.json, v3 system/metrics.json): one sample per numeric leaf. */
export function metricsSnapshot(ctx: JsonCtx, json: unknown): void {
  if (!isObj(json)) throw new EntryError(`${ctx.stem}.json: expected a JSON object, got ${show(json)}`, [])
  // The snapshot's time is its first time field that holds anything: one that is not a time is
  // reported, never passed over for the next one (or the file's mtime) in silence.
  const f = new Fields(json)
  const key = TIME_KEYS.find((k) => json[k] !== undefined && json[k] !== null && json[k] !== '')
  const ts = key ? f.time(key) : ctx.fileMs
  if (ts === null) return rejectEntry(ctx, f.problems)
  const reported = REPORTED[ctx.stem] ?? UNKNOWN_FILE
  for (const [path, value] of numericLeaves(json)) {
    ctx.sink.metric({ runId: ctx.runId, name: `claude_flow.${ctx.stem}.${path}`, unit: unitOf(path), ts, value, reported: reported(path) })
  }
}

/** Arrays of timed samples: v2 `system-metrics.json` (every 30 s) and v3 `performance/metrics.json` ({metrics: [...]}). */
export function metricsSeries(prefix: string) {
  return (ctx: JsonCtx, json: unknown): void => {
    const samples = Array.isArray(json) ? json : isObj(json) && Array.isArray(json.metrics) ? json.metrics : null
    if (!samples) throw new EntryError(`${ctx.stem}.json: expected an array of samples`, isObj(json) ? ['metrics'] : [])
    const base: Path = Array.isArray(json) ? [] : ['metrics']
    samples.forEach((s: unknown, i: number) => {
      if (!isObj(s)) return rejectEntry(ctx, [{ at: [...base, i], message: `expected a sample object, got ${show(s)}` }])
      const f = new Fields(s, [...base, i])
      const ts = f.time('timestamp')
      if (!f.need('timestamp', ts) || !f.ok) return rejectEntry(ctx, f.problems)
      for (const [path, value] of numericLeaves(s)) {
        ctx.sink.metric({ runId: ctx.runId, name: `claude_flow.${prefix}.${path}`, unit: unitOf(path), ts, value })
      }
    })
  }
}

const outcome = (success: boolean | null): 'ok' | 'error' | 'unset' => (success === true ? 'ok' : success === false ? 'error' : 'unset')

/** v2 `task-metrics.json`: one record per claude-flow command, `timestamp` at its end, `duration` in ms. */
export function v2TaskMetrics(ctx: JsonCtx, json: unknown): void {
  if (!Array.isArray(json)) throw new EntryError(`task-metrics.json: expected an array of tasks, got ${show(json)}`, [])
  json.forEach((t: unknown, i) => {
    if (!isObj(t)) return rejectEntry(ctx, [{ at: [i], message: `expected a task object, got ${show(t)}` }])
    const f = new Fields(t, [i])
    const id = f.text('id')
    const end = f.time('timestamp')
    // A negative duration leaves the task out (see checks.ts), not stored without it: claude-flow
    // measures it with performance.now() (monotonic; hence the fractional ms), so a negative one
    // is a damaged record, not a clock step; and the start is `timestamp - duration`, so a span
    // kept without it would have no start and sit in the counts but nowhere on the timeline.
    const duration = f.duration('duration')
    const success = f.bool('success')
    const type = f.text('type')
    if (!f.need('id', id) || !f.ok) return rejectEntry(ctx, f.problems)
    const status = outcome(success)
    ctx.sink.span({
      runId: ctx.runId, id: `task:${id}`, kind: 'task', name: type ?? 'task',
      startMs: end !== null && duration !== null ? Math.round(end - duration) : end, endMs: end, status, error: status === 'error' ? 'task failed' : null,
      attrs: { taskId: id, taskType: type, durationMs: duration, source: 'task-metrics' },
    })
  })
}

const TOTALS = [['total', 'actions', null], ['successful', 'successful', null], ['failed', 'failed', null], ['totalDuration', 'duration', 'ms']] as const

/**
 * v2 `agent-metrics.json`: totals and recent actions per agent *type* (no instance ids), so
 * each type is one agent; actions are spans, totals are samples at the latest action.
 */
export function v2AgentMetrics(ctx: JsonCtx, json: unknown): void {
  if (!isObj(json)) throw new EntryError(`agent-metrics.json: expected an object keyed by agent type, got ${show(json)}`, [])
  for (const [type, m] of Object.entries(json)) {
    if (!isObj(m)) {
      rejectEntry(ctx, [{ at: [type], message: `expected an object, got ${show(m)}` }])
      continue
    }
    const f = new Fields(m, [type])
    const totals = TOTALS.map(([key, name, unit]) => [name, unit, key === 'totalDuration' ? f.duration(key) : f.count(key)] as const)
    const actions = f.list('actions')
    if (!f.ok) {
      rejectEntry(ctx, f.problems)
      continue
    }
    const agentId = `type:${type}`
    ctx.sink.agent({ runId: ctx.runId, id: agentId, name: type, type, attrs: { aggregate: true } })
    let latest: number | null = null
    actions.forEach((a: unknown, i: number) => {
      if (!isObj(a)) return rejectEntry(ctx, [{ at: [type, 'actions', i], message: `expected an action object, got ${show(a)}` }])
      const af = new Fields(a, [type, 'actions', i])
      const end = af.time('timestamp')
      const duration = af.duration('duration')
      const [id, action, success] = [af.text('id'), af.text('action'), af.bool('success')]
      if (!af.need('timestamp', end) || !af.ok) return rejectEntry(ctx, af.problems)
      latest = Math.max(latest ?? end, end)
      ctx.sink.span({
        runId: ctx.runId, id: `action:${id ?? `${type}-${end}-${i}`}`, agentId, kind: 'other', name: `${type} ${action ?? 'action'}`,
        startMs: duration !== null ? Math.round(end - duration) : end, endMs: end, status: outcome(success), attrs: { action, durationMs: duration },
      })
    })
    const ts = latest ?? ctx.fileMs
    for (const [name, unit, value] of totals) {
      if (value !== null) ctx.sink.metric({ runId: ctx.runId, name: `claude_flow.agent.${name}`, unit, ts, value, labels: { agentType: type } })
    }
  }
}
