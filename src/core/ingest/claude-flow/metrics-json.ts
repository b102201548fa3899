import { LineError } from '../records'
import { firstTime, isObj, num, numericLeaves, str, toMs, unitOf, type JsonCtx } from './project'

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
/** A metrics file we do not know: claude-flow's claim, not a measurement we can vouch for. */
const UNKNOWN_FILE = () => true

const TIME_KEYS = ['timestamp', 'lastCheck', 'lastActivity', 'savedAt', 'updatedAt', 'startTime', 'initialized', 'scannedAt']

/** A snapshot object (v2 performance.json, v3 metrics/*.json, v3 system/metrics.json): one sample per numeric leaf. */
export function metricsSnapshot(ctx: JsonCtx, json: unknown): void {
  if (!isObj(json)) throw new LineError(`${ctx.stem}.json: expected a JSON object`)
  const ts = firstTime(json, TIME_KEYS) ?? ctx.fileMs
  const reported = REPORTED[ctx.stem] ?? UNKNOWN_FILE
  for (const [path, value] of numericLeaves(json)) {
    ctx.sink.metric({ runId: ctx.runId, name: `claude_flow.${ctx.stem}.${path}`, unit: unitOf(path), ts, value, reported: reported(path) })
  }
}

/** Arrays of timed samples: v2 `system-metrics.json` (every 30 s) and v3 `performance/metrics.json` ({metrics: [...]}). */
export function metricsSeries(prefix: string) {
  return (ctx: JsonCtx, json: unknown): void => {
    const samples = Array.isArray(json) ? json : isObj(json) && Array.isArray(json.metrics) ? json.metrics : null
    if (!samples) throw new LineError(`${ctx.stem}.json: expected an array of samples`)
    samples.forEach((s: unknown, i: number) => {
      const ts = isObj(s) ? toMs(s.timestamp) : null
      if (!isObj(s) || ts === null) return ctx.skip(`${ctx.stem}.json[${i}]: not a sample with a timestamp`)
      for (const [path, value] of numericLeaves(s)) {
        ctx.sink.metric({ runId: ctx.runId, name: `claude_flow.${prefix}.${path}`, unit: unitOf(path), ts, value })
      }
    })
  }
}

const outcome = (success: unknown): 'ok' | 'error' | 'unset' => (success === true ? 'ok' : success === false ? 'error' : 'unset')

/** v2 `task-metrics.json`: one record per claude-flow command, `timestamp` at its end, `duration` in ms. */
export function v2TaskMetrics(ctx: JsonCtx, json: unknown): void {
  if (!Array.isArray(json)) throw new LineError('task-metrics.json: expected an array of tasks')
  json.forEach((t: unknown, i) => {
    if (!isObj(t) || !str(t.id)) return ctx.skip(`task-metrics.json[${i}]: not a task record (no id)`)
    const end = toMs(t.timestamp)
    const duration = num(t.duration)
    const status = outcome(t.success)
    ctx.sink.span({
      runId: ctx.runId, id: `task:${String(t.id)}`, kind: 'task', name: str(t.type) ?? 'task',
      startMs: end !== null && duration !== null ? Math.round(end - duration) : end, endMs: end, status, error: status === 'error' ? 'task failed' : null,
      attrs: { taskId: t.id, taskType: str(t.type), durationMs: duration, source: 'task-metrics' },
    })
  })
}

/**
 * v2 `agent-metrics.json`: totals and recent actions per agent *type* (no instance ids), so
 * each type is one agent; actions are spans, totals are samples at the latest action.
 */
export function v2AgentMetrics(ctx: JsonCtx, json: unknown): void {
  if (!isObj(json)) throw new LineError('agent-metrics.json: expected an object keyed by agent type')
  for (const [type, m] of Object.entries(json)) {
    if (!isObj(m)) {
      ctx.skip(`agent-metrics.json: "${type}" is not an object`)
      continue
    }
    const agentId = `type:${type}`
    ctx.sink.agent({ runId: ctx.runId, id: agentId, name: type, type, attrs: { aggregate: true } })
    let latest: number | null = null
    const actions = Array.isArray(m.actions) ? m.actions : []
    actions.forEach((a: unknown, i: number) => {
      const end = isObj(a) ? toMs(a.timestamp) : null
      if (!isObj(a) || end === null) return ctx.skip(`agent-metrics.json: ${type}.actions[${i}] has no timestamp`)
      latest = Math.max(latest ?? end, end)
      const duration = num(a.duration)
      ctx.sink.span({
        runId: ctx.runId, id: `action:${str(a.id) ?? `${type}-${end}-${i}`}`, agentId, kind: 'other', name: `${type} ${str(a.action) ?? 'action'}`,
        startMs: duration !== null ? Math.round(end - duration) : end, endMs: end, status: outcome(a.success), attrs: { action: str(a.action), durationMs: duration },
      })
    })
    const ts = latest ?? ctx.fileMs
    for (const [key, name, unit] of [['total', 'actions', null], ['successful', 'successful', null], ['failed', 'failed', null], ['totalDuration', 'duration', 'ms']] as const) {
      const value = num(m[key])
      if (value !== null) ctx.sink.metric({ runId: ctx.runId, name: `claude_flow.agent.${name}`, unit, ts, value, labels: { agentType: type } })
    }
  }
}
