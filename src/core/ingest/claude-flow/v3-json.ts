import { createHash } from 'node:crypto'
import { LineError } from '../records'
import { statusOf } from './hive-db'
import { firstTime, isObj, num, safeAttrs, str, textBytes, toMs, type JsonCtx } from './project'

// claude-flow v3 ("ruflo") state files under `.claude-flow/`. Each is a snapshot that the CLI
// rewrites in place, so ids come from the ids inside (swarm, agent, task, worker + start time).

/** `{ key: {...} }` maps (agents/store.json, tasks/store.json, swarm-state.json) as [key, object] pairs. */
function entriesOf(ctx: JsonCtx, json: unknown, field: string): [string, Record<string, unknown>][] {
  const map = isObj(json) ? json[field] : undefined
  if (!isObj(map) && !Array.isArray(map)) throw new LineError(`${ctx.stem}.json: no "${field}" object`)
  const out: [string, Record<string, unknown>][] = []
  for (const [k, v] of Object.entries(map)) {
    if (isObj(v)) out.push([k, v])
    else ctx.skip(`${ctx.stem}.json: ${field}.${k} is not an object`)
  }
  return out
}

/** `daemon-state.json`: per background worker, run/success/failure counts and the average duration. */
export function daemonState(ctx: JsonCtx, json: unknown): void {
  const workers = entriesOf(ctx, json, 'workers')
  const lastRuns = workers.map(([, w]) => toMs(w.lastRun)).filter((t): t is number => t !== null)
  const ts = toMs((json as Record<string, unknown>).savedAt) ?? (lastRuns.length ? Math.max(...lastRuns) : ctx.fileMs)
  ctx.sink.agent({ runId: ctx.runId, id: 'daemon', name: 'claude-flow daemon', type: 'daemon' })
  for (const [worker, w] of workers) {
    for (const [key, name, unit] of [['runCount', 'runs', null], ['successCount', 'successes', null], ['failureCount', 'failures', null], ['averageDurationMs', 'avg_duration', 'ms']] as const) {
      const value = num(w[key])
      if (value !== null) ctx.sink.metric({ runId: ctx.runId, name: `claude_flow.daemon.worker.${name}`, unit, ts, value, labels: { worker } })
    }
    // Only the latest run is on record; its outcome is not (the counts are totals).
    const start = toMs(w.lastStartedAt)
    const end = toMs(w.lastRun)
    if (start === null) continue
    ctx.sink.span({
      runId: ctx.runId, id: `daemon:${worker}:${start}`, agentId: 'daemon', kind: 'task', name: `daemon ${worker}`,
      startMs: start, endMs: end !== null && end >= start ? end : null, status: 'unset', attrs: { worker, isRunning: w.isRunning === true },
    })
  }
}

function swarmSpan(ctx: JsonCtx, id: string, s: Record<string, unknown>, start: number | null, end: number | null): void {
  const config = isObj(s.config) ? s.config : {}
  ctx.sink.span({
    runId: ctx.runId, id: `swarm:${id}`, kind: 'other', name: `swarm ${str(s.topology) ?? id}`, startMs: start, endMs: end ?? start, status: statusOf(s.status),
    attrs: { swarmId: id, topology: str(s.topology), maxAgents: num(s.maxAgents), status: str(s.status), strategy: str(s.strategy) ?? str(config.strategy) },
  })
}

/** `swarm/swarm-state.json`: swarms with their agent and task ids. */
export function swarmState(ctx: JsonCtx, json: unknown): void {
  for (const [key, s] of entriesOf(ctx, json, 'swarms')) {
    const id = str(s.swarmId) ?? key
    swarmSpan(ctx, id, s, toMs(s.createdAt), toMs(s.updatedAt))
    for (const a of Array.isArray(s.agents) ? s.agents : []) {
      const agentId = typeof a === 'string' ? a : isObj(a) ? (str(a.agentId) ?? str(a.id)) : null
      if (agentId) ctx.sink.agent({ runId: ctx.runId, id: agentId, attrs: { swarmId: id } })
    }
    for (const t of Array.isArray(s.tasks) ? s.tasks : []) if (isObj(t)) taskSpan(ctx, t, `swarm:${id}`)
  }
}

/** `.swarm/state.json`: the swarm `swarm init` created. */
export function dotSwarmState(ctx: JsonCtx, json: unknown): void {
  if (!isObj(json) || !str(json.id)) throw new LineError('state.json: no swarm "id"')
  swarmSpan(ctx, String(json.id), json, toMs(json.initializedAt), null)
}

/** `agents/store.json` and `agents.json`: spawned agents, their type, model and status. */
export function agentStore(ctx: JsonCtx, json: unknown): void {
  for (const [key, a] of entriesOf(ctx, json, 'agents')) {
    const id = str(a.agentId) ?? str(key)
    if (!id) continue
    const config = isObj(a.config) ? a.config : {}
    ctx.sink.agent({
      runId: ctx.runId, id, name: str(a.name), type: str(a.agentType) ?? str(a.type),
      attrs: { status: str(a.status), model: str(a.model), modelRoutedBy: str(a.modelRoutedBy), domain: str(a.domain), taskCount: num(a.taskCount), role: str(config.role) },
    })
    const ts = toMs(a.createdAt)
    if (ts !== null) ctx.sink.event({ runId: ctx.runId, id: `spawn:${id}`, ts, name: 'agent.spawned', agentId: id, attrs: { type: str(a.agentType) } })
  }
}

function taskSpan(ctx: JsonCtx, t: Record<string, unknown>, parentId: string | null, key?: string): void {
  const id = str(t.taskId) ?? str(t.id) ?? key
  if (!id) return ctx.skip(`${ctx.stem}.json: task without an id`)
  const status = statusOf(t.status)
  const assigned = Array.isArray(t.assignedTo) ? t.assignedTo.filter((x): x is string => typeof x === 'string') : []
  ctx.sink.span({
    runId: ctx.runId, id: `task:${id}`, parentId, agentId: assigned[0] ?? null, kind: 'task', name: str(t.type) ?? 'task',
    startMs: toMs(t.startedAt) ?? toMs(t.createdAt), endMs: toMs(t.completedAt), status, error: status === 'error' ? 'task failed' : null,
    attrs: {
      taskId: id, status: str(t.status), priority: t.priority ?? null, progress: num(t.progress), assignedTo: assigned,
      tags: Array.isArray(t.tags) ? t.tags.filter((x) => typeof x === 'string') : [], descriptionBytes: textBytes(t.description),
    },
  })
}

/** `tasks/store.json`. */
export function taskStore(ctx: JsonCtx, json: unknown): void {
  for (const [key, t] of entriesOf(ctx, json, 'tasks')) taskSpan(ctx, t, null, key)
}

/** `hive-mind/state.json`: queen, workers, broadcasts and consensus history. The hiveToken is a secret: never read. */
export function hiveState(ctx: JsonCtx, json: unknown): void {
  if (!isObj(json)) throw new LineError('hive-mind/state.json: expected a JSON object')
  const queen = isObj(json.queen) ? str(json.queen.agentId) : null
  if (queen && isObj(json.queen)) ctx.sink.agent({ runId: ctx.runId, id: queen, name: 'queen', type: 'queen', attrs: { term: num(json.queen.term) } })
  for (const w of Array.isArray(json.workers) ? json.workers : []) {
    if (str(w)) ctx.sink.agent({ runId: ctx.runId, id: w as string, type: 'worker', parentAgentId: queen })
  }
  const created = toMs(json.createdAt)
  if (created !== null) {
    ctx.sink.span({
      runId: ctx.runId, id: `hive:${created}`, agentId: queen, kind: 'other', name: `hive-mind ${str(json.topology) ?? ''}`.trim(),
      startMs: created, endMs: toMs(json.updatedAt) ?? created, status: 'unset',
      attrs: { topology: str(json.topology), consensusStrategy: str(json.consensusStrategy), workers: Array.isArray(json.workers) ? json.workers.length : 0 },
    })
  }
  const shared = isObj(json.sharedMemory) ? json.sharedMemory : {}
  for (const b of Array.isArray(shared.broadcasts) ? shared.broadcasts : []) {
    const ts = isObj(b) ? toMs(b.timestamp) : null
    if (!isObj(b) || ts === null) continue
    ctx.sink.event({
      runId: ctx.runId, id: `broadcast:${str(b.messageId) ?? ts}`, ts, name: 'hive.broadcast', agentId: str(b.fromId),
      attrs: { priority: str(b.priority), messageBytes: textBytes(b.message) },
    })
  }
  const consensus = isObj(json.consensus) ? json.consensus : {}
  ;(Array.isArray(consensus.history) ? consensus.history : []).forEach((d: unknown, i: number) => {
    const ts = isObj(d) ? firstTime(d, ['decidedAt', 'resolvedAt', 'timestamp', 'createdAt']) : null
    if (!isObj(d) || ts === null) return
    ctx.sink.event({ runId: ctx.runId, id: `consensus:${str(d.proposalId) ?? str(d.id) ?? `${ts}:${i}`}`, ts, name: 'hive.consensus', attrs: safeAttrs(d) })
  })
}

/** `routing-outcomes.json`: which agent type a task was routed to and how it went. */
export function routingOutcomes(ctx: JsonCtx, json: unknown): void {
  const outcomes = isObj(json) && Array.isArray(json.outcomes) ? json.outcomes : null
  if (!outcomes) throw new LineError('routing-outcomes.json: no "outcomes" array')
  outcomes.forEach((o: unknown, i: number) => {
    const ts = isObj(o) ? toMs(o.timestamp) : null
    if (!isObj(o) || ts === null) return ctx.skip(`routing-outcomes.json: outcomes[${i}] has no timestamp`)
    const agent = str(o.agent) ?? 'unknown'
    // The task text is user content: the id hashes it so two outcomes at one instant stay apart.
    const id = createHash('sha1').update(`${ts}|${agent}|${String(o.task)}`).digest('hex').slice(0, 16)
    ctx.sink.event({
      runId: ctx.runId, id: `routing:${id}`, ts, name: 'routing.outcome', severity: o.success === false ? 'warning' : null,
      attrs: { agent, success: typeof o.success === 'boolean' ? o.success : null, quality: num(o.quality), taskBytes: textBytes(o.task) },
    })
    // The quality score is claude-flow's self-assessment (a hook flag or its default), not a measurement.
    const quality = num(o.quality)
    if (quality !== null) ctx.sink.metric({ runId: ctx.runId, name: 'claude_flow.routing.quality', ts, value: quality, labels: { agent }, reported: true })
  })
}
