import { statusOf } from './hive-db'
import { EntryError, Fields, rejectEntry, show } from './checks'
import { isObj, textBytes, type JsonCtx } from './project'

// claude-flow v3 ("ruflo") state files under `.claude-flow/`. Each is a snapshot that the CLI
// rewrites in place, so ids come from the ids inside (swarm, agent, task, worker + start time).

/** `{ key: {...} }` maps (agents/store.json, tasks/store.json, swarm-state.json) as [key, fields] pairs. */
function entriesOf(ctx: JsonCtx, json: unknown, field: string): [string, Fields][] {
  const map = isObj(json) ? json[field] : undefined
  if (!isObj(map) && !Array.isArray(map)) throw new EntryError(`${ctx.stem}.json: no "${field}" object${map === undefined ? '' : `, got ${show(map)}`}`, [field])
  const out: [string, Fields][] = []
  for (const [k, v] of Object.entries(map)) {
    const key = Array.isArray(map) ? Number(k) : k
    if (isObj(v)) out.push([k, new Fields(v, [field, key])])
    else rejectEntry(ctx, [{ at: [field, key], message: `expected an object, got ${show(v)}` }])
  }
  return out
}

/** More error events than this per worker would only slow the import; the metric keeps the full count. */
const MAX_FAILURE_EVENTS = 10_000

/** `daemon-state.json`: per background worker, run/success/failure counts and the average duration. */
export function daemonState(ctx: JsonCtx, json: unknown): void {
  const top = new Fields(isObj(json) ? json : {})
  const savedAt = top.time('savedAt')
  // savedAt is the time of every sample in the file: without it there is nothing to put them at.
  if (!top.ok) throw new EntryError(`daemon-state.json: savedAt: ${top.problems[0].message}`, ['savedAt'])
  const entries = entriesOf(ctx, json, 'workers')
  const workers = entries.flatMap(([worker, f]) => {
    const w = {
      worker, runs: f.count('runCount'), successes: f.count('successCount'), failures: f.count('failureCount'), avg: f.duration('averageDurationMs'),
      start: f.time('lastStartedAt'), end: f.time('lastRun'), isRunning: f.bool('isRunning'),
    }
    // The counts are not checked against each other: claude-flow's are not kept in step (the
    // ruflo-powers fixture has 12 successes + 3 failures of 14 runs), so that is no damage.
    if (f.ok) return [w]
    rejectEntry(ctx, f.problems)
    return []
  })
  const lastRuns = workers.map((w) => w.end).filter((t): t is number => t !== null)
  const ts = savedAt ?? (lastRuns.length ? Math.max(...lastRuns) : ctx.fileMs)
  // A daemon whose every worker was left out has nothing left to show.
  if (entries.length > 0 && workers.length === 0) return
  ctx.sink.agent({ runId: ctx.runId, id: 'daemon', name: 'claude-flow daemon', type: 'daemon' })
  for (const w of workers) {
    for (const [name, unit, value] of [['runs', null, w.runs], ['successes', null, w.successes], ['failures', null, w.failures], ['avg_duration', 'ms', w.avg]] as const) {
      if (value !== null) ctx.sink.metric({ runId: ctx.runId, name: `claude_flow.daemon.worker.${name}`, unit, ts, value, labels: { worker: w.worker } })
    }
    workerFailures(ctx, w.worker, w.failures ?? 0, w.end ?? ts)
    // Only the latest run is on record; its outcome is not (the counts are totals). A lastRun
    // before lastStartedAt is the run before a run still going: this one has no end yet.
    if (w.start === null) continue
    ctx.sink.span({
      runId: ctx.runId, id: `daemon:${w.worker}:${w.start}`, agentId: 'daemon', kind: 'task', name: `daemon ${w.worker}`,
      startMs: w.start, endMs: w.end !== null && w.end >= w.start ? w.end : null, status: 'unset', attrs: { worker: w.worker, isRunning: w.isRunning === true },
    })
  }
}

/**
 * A worker's failed runs, one error event each, so the run's error count includes them as the
 * Runs list shows it (a worker failing on every run is what users look for). The file holds a
 * count, not when each failed: each is put at the worker's last run, the latest it can have
 * happened, and marked as claude-flow's report. Ids are the failure's number: a later snapshot
 * with more failures adds only the new ones, and an import of the same file adds nothing.
 */
function workerFailures(ctx: JsonCtx, worker: string, failures: number, ts: number): void {
  if (failures > MAX_FAILURE_EVENTS) {
    ctx.skip(`daemon-state.json: workers.${worker}.failureCount: ${failures} failures; the first ${MAX_FAILURE_EVENTS} are error events, the metric holds them all`, [['workers', worker, 'failureCount']])
  }
  for (let n = 1; n <= Math.min(failures, MAX_FAILURE_EVENTS); n++) {
    ctx.sink.event({
      runId: ctx.runId, id: `daemon-failure:${worker}:${n}`, ts, name: 'daemon.worker.failed', severity: 'error', agentId: 'daemon',
      attrs: { worker, failure: n, failureCount: failures, reported: true, tsIsLatestPossible: true },
    })
  }
}

function swarmSpan(ctx: JsonCtx, id: string, f: Fields, startKey: string, endKey: string | null): boolean {
  const start = f.time(startKey)
  const end = endKey ? f.time(endKey) : null
  if (endKey) f.order(startKey, endKey, start, end)
  const config = f.obj('config')
  const [topology, status, strategy, maxAgents] = [f.text('topology'), f.text('status'), f.text('strategy') ?? config?.text('strategy') ?? null, f.count('maxAgents')]
  if (!f.ok) return false
  ctx.sink.span({
    runId: ctx.runId, id: `swarm:${id}`, kind: 'other', name: `swarm ${topology ?? id}`, startMs: start, endMs: end ?? start, status: statusOf(status),
    attrs: { swarmId: id, topology, maxAgents, status, strategy },
  })
  return true
}

/** `swarm/swarm-state.json`: swarms with their agent and task ids. */
export function swarmState(ctx: JsonCtx, json: unknown): void {
  for (const [key, f] of entriesOf(ctx, json, 'swarms')) {
    const id = f.text('swarmId') ?? key
    const agents = f.list('agents').map((a, j) => {
      const agentId = typeof a === 'string' ? a : isObj(a) ? ((typeof a.agentId === 'string' && a.agentId) || (typeof a.id === 'string' && a.id) || null) : null
      if (!agentId) f.problems.push({ at: [...f.at, 'agents', j], message: `expected an agent id or {agentId}, got ${show(a)}` })
      return agentId
    })
    const tasks = f.list('tasks')
    if (!swarmSpan(ctx, id, f, 'createdAt', 'updatedAt')) {
      rejectEntry(ctx, f.problems)
      continue
    }
    for (const agentId of agents) if (agentId) ctx.sink.agent({ runId: ctx.runId, id: agentId, attrs: { swarmId: id } })
    tasks.forEach((t, j) => {
      if (isObj(t)) taskSpan(ctx, new Fields(t, [...f.at, 'tasks', j]), `swarm:${id}`)
      else rejectEntry(ctx, [{ at: [...f.at, 'tasks', j], message: `expected a task object, got ${show(t)}` }])
    })
  }
}

/** `.swarm/state.json`: the swarm `swarm init` created. */
export function dotSwarmState(ctx: JsonCtx, json: unknown): void {
  if (!isObj(json)) throw new EntryError(`state.json: expected a JSON object, got ${show(json)}`, [])
  const f = new Fields(json)
  const id = f.text('id')
  if (!f.need('id', id) || !swarmSpan(ctx, id, f, 'initializedAt', null)) rejectEntry(ctx, f.problems)
}

/** `agents/store.json` and `agents.json`: spawned agents, their type, model and status. */
export function agentStore(ctx: JsonCtx, json: unknown): void {
  for (const [key, f] of entriesOf(ctx, json, 'agents')) {
    // An empty key ("" in the map) is no id: the agent would be stored under none.
    const id = f.text('agentId') ?? (key || null)
    if (id === null) f.problem('agentId', 'missing (no agentId and an empty key)')
    const config = f.obj('config')
    const type = f.text('agentType') ?? f.text('type')
    const ts = f.time('createdAt')
    const name = f.text('name')
    const attrs = { status: f.text('status'), model: f.text('model'), modelRoutedBy: f.text('modelRoutedBy'), domain: f.text('domain'), taskCount: f.count('taskCount'), role: config?.text('role') ?? null }
    if (!f.ok || id === null) {
      rejectEntry(ctx, f.problems)
      continue
    }
    ctx.sink.agent({ runId: ctx.runId, id, name, type, attrs })
    if (ts !== null) ctx.sink.event({ runId: ctx.runId, id: `spawn:${id}`, ts, name: 'agent.spawned', agentId: id, attrs: { type } })
  }
}

function taskSpan(ctx: JsonCtx, f: Fields, parentId: string | null, key?: string): void {
  const id = f.text('taskId') ?? f.text('id') ?? (key || null)
  if (id === null) f.problem('taskId', 'missing (no taskId or id)')
  const start = f.time('startedAt') ?? f.time('createdAt')
  const end = f.time('completedAt')
  f.order(f.o.startedAt != null ? 'startedAt' : 'createdAt', 'completedAt', start, end)
  const priority = f.o.priority ?? null
  if (priority !== null && typeof priority !== 'string' && typeof priority !== 'number') f.problem('priority', `expected a string or a number, got ${show(priority)}`)
  const [type, status, progress, assignedTo, tags, description] = [f.text('type'), f.text('status'), f.percent('progress'), f.strings('assignedTo'), f.strings('tags'), f.text('description')]
  if (!f.ok || id === null) return rejectEntry(ctx, f.problems)
  const s = statusOf(status)
  ctx.sink.span({
    runId: ctx.runId, id: `task:${id}`, parentId, agentId: assignedTo[0] ?? null, kind: 'task', name: type ?? 'task',
    startMs: start, endMs: end, status: s, error: s === 'error' ? 'task failed' : null,
    attrs: { taskId: id, status, priority, progress, assignedTo, tags, descriptionBytes: textBytes(description) },
  })
}

/** `tasks/store.json`. */
export function taskStore(ctx: JsonCtx, json: unknown): void {
  for (const [key, f] of entriesOf(ctx, json, 'tasks')) taskSpan(ctx, f, null, key)
}
