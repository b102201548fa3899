import type Database from 'better-sqlite3'
import type { RecordSink } from '../records'
import { statusOf } from './hive-db'
import { decodeValue, isObj, num, numericLeaves, safeAttrs, str, textBytes, toMs, unitOf } from './project'

type Row = Record<string, unknown>
type Entry = { key: string; value: Record<string, unknown>; ts: number | null; meta: Record<string, unknown> }
type Handler = (sink: RecordSink, runId: string, e: Entry) => void

/** The id part of a key like `task:<id>`; '' is no id. */
const afterPrefix = (key: string, prefix: string): string | null => str(key.startsWith(prefix) ? key.slice(prefix.length) : key)

function taskSpan(sink: RecordSink, runId: string, id: string | null, v: Record<string, unknown>, start: number | null, end: number | null): void {
  if (!id) return
  const status = statusOf(v.status)
  sink.span({
    runId, id: `task:${id}`, agentId: str(v.agentId), kind: 'task', name: str(v.type) ?? 'task', startMs: start, endMs: end,
    status, error: status === 'error' ? 'task failed' : null,
    attrs: { taskId: id, status: str(v.status), descriptionBytes: textBytes(v.description), durationMs: num(v.duration) },
  })
}

function agentSeen(sink: RecordSink, runId: string, id: string | null, who: { name?: string | null; type?: string | null }, ts: number | null, action: string, attrs: Record<string, unknown>): void {
  if (!id) return
  sink.agent({ runId, id, name: who.name ?? null, type: who.type ?? null, attrs })
  if (ts !== null) sink.event({ runId, id: `${action}:${id}:${ts}`, ts, name: `agent.${action}`, agentId: id })
}

/**
 * What claude-flow's hooks and MCP server write into `.swarm/memory.db`, by namespace
 * (see hooks.js: pre-task/post-task, agent-spawned, session-end). Other namespaces are the
 * user's memory, counted but not read.
 */
const NAMESPACES: Record<string, Handler> = {
  'hooks:pre-task': (s, run, e) => taskSpan(s, run, str(e.value.taskId) ?? afterPrefix(e.key, 'task:'), e.value, toMs(e.value.startedAt) ?? e.ts, null),
  'hooks:post-task': (s, run, e) =>
    taskSpan(s, run, str(e.value.taskId) ?? afterPrefix(e.key.replace(/:completed$/, ''), 'task:'), { status: 'completed', ...e.value },
      toMs(e.value.startedAt), toMs(e.value.completedAt) ?? e.ts),
  'task-index': (s, run, e) => {
    const id = str(e.value.taskId)
    if (id) taskSpan(s, run, id, e.value, toMs(e.value.timestamp) ?? e.ts, null)
  },
  tasks: (s, run, e) => {
    const id = str(e.value.taskId) ?? str(e.value.id) ?? afterPrefix(e.key, 'task:')
    taskSpan(s, run, id, e.value, toMs(e.value.createdAt ?? e.value.created) ?? e.ts, toMs(e.value.completedAt))
  },
  'hooks:agent-spawned': (s, run, e) => {
    const id = str(e.value.agentName) ?? afterPrefix(e.key, 'agent:')
    agentSeen(s, run, id, { type: str(e.value.agentType) }, toMs(e.value.spawnedAt) ?? e.ts, 'spawned', { swarmId: str(e.value.swarmId) })
  },
  'agent-roster': (s, run, e) => {
    const id = str(e.value.agentName)
    if (id) agentSeen(s, run, id, {}, toMs(e.value.timestamp) ?? e.ts, str(e.value.action) ?? 'seen', {})
  },
  agents: (s, run, e) => {
    const id = str(e.value.agentId) ?? str(e.value.id) ?? afterPrefix(e.key, 'agent:')
    const who = { name: str(e.value.name), type: str(e.value.type) }
    agentSeen(s, run, id, who, toMs(e.value.createdAt ?? e.value.created) ?? e.ts, 'spawned', { swarmId: str(e.value.swarmId), status: str(e.value.status) })
  },
  swarms: (s, run, e) => {
    const id = str(e.value.id) ?? str(e.value.swarmId) ?? afterPrefix(e.key, 'swarm:')
    if (!id) return
    const start = toMs(e.value.createdAt ?? e.value.created) ?? e.ts
    s.span({ runId: run, id: `swarm:${id}`, kind: 'other', name: `swarm ${str(e.value.topology) ?? id}`, startMs: start, endMs: start, status: 'unset', attrs: { swarmId: id, ...safeAttrs(e.value) } })
  },
  sessions: (s, run, e) => {
    const ts = toMs(e.value.endedAt) ?? e.ts
    const { metrics: _metrics, ...summary } = e.value
    if (ts !== null) s.event({ runId: run, id: `session-end:${afterPrefix(e.key, 'session:') ?? ts}`, ts, name: 'session.end', attrs: safeAttrs(summary) })
  },
  'session-states': (s, run, e) => {
    // The session-end hook copies the task index and agent roster here: read them like the originals.
    for (const [list, ns] of [['tasks', 'task-index'], ['agents', 'agent-roster']] as const) {
      const items = Array.isArray(e.value[list]) ? (e.value[list] as unknown[]) : []
      for (const item of items) {
        const inner = isObj(item) ? decodeValue(item.value ?? item) : null
        if (isObj(inner)) NAMESPACES[ns](s, run, { key: isObj(item) ? String(item.key ?? '') : '', value: inner, ts: e.ts, meta: {} })
      }
    }
  },
  'session-metrics': (s, run, e) => {
    const ts = toMs(e.value.timestamp) ?? e.ts
    const sessionId = str(e.meta.sessionId) ?? afterPrefix(e.key, 'session-metrics:') ?? 'unknown'
    if (ts === null) return
    for (const [path, value] of numericLeaves(e.value)) {
      s.metric({ runId: run, name: `claude_flow.session.${path}`, unit: unitOf(path), ts, value, labels: { sessionId } })
    }
  },
  performance: (s, run, e) => {
    const ts = toMs(e.value.timestamp) ?? e.ts
    const d = num(e.value.duration)
    if (ts !== null && d !== null) s.metric({ runId: run, name: 'claude_flow.task.duration', unit: 'ms', ts, value: d, labels: { taskId: str(e.value.taskId) ?? e.key } })
  },
}

/**
 * `.swarm/memory.db` (v2: `value`, times in seconds; v3: `content`, times in ms, plus
 * trajectories and sessions) and `.hive-mind/memory.db` (`memories`).
 */
export function importMemoryDb(db: Database.Database, tables: Set<string>, sink: RecordSink, runId: string, report: (reason: string) => void): void {
  const all = (sql: string): Row[] => db.prepare(sql).all() as Row[]
  for (const table of ['memory_entries', 'memories'].filter((t) => tables.has(t))) {
    for (const r of all(`SELECT * FROM "${table}"`)) {
      const handler = NAMESPACES[String(r.namespace)]
      if (!handler) continue
      const value = decodeValue(r.value ?? r.content)
      if (!isObj(value)) {
        report(`${table} ${String(r.namespace)}/${String(r.key)}: value is not a JSON object; skipped`)
        continue
      }
      const meta = decodeValue(r.metadata)
      handler(sink, runId, { key: String(r.key), value, ts: toMs(r.created_at ?? r.timestamp), meta: isObj(meta) ? meta : {} })
    }
    // Entry counts per namespace: how much the swarm remembered, without reading what.
    const when = table === 'memories' ? 'timestamp' : 'COALESCE(updated_at, created_at)'
    for (const c of all(`SELECT namespace, COUNT(*) AS n, MAX(${when}) AS t FROM "${table}" GROUP BY namespace`)) {
      const ts = toMs(c.t)
      if (ts !== null) sink.metric({ runId, name: 'claude_flow.memory.entries', ts, value: Number(c.n), labels: { namespace: String(c.namespace), table } })
    }
  }
  if (!tables.has('trajectories')) return
  // v3 learning loop: a trajectory is one task attempt, its steps are events on it.
  for (const t of all('SELECT * FROM trajectories')) {
    const status = statusOf(t.verdict ?? t.status)
    sink.span({
      runId, id: `trajectory:${String(t.id)}`, kind: 'task', name: 'trajectory', startMs: toMs(t.started_at), endMs: toMs(t.ended_at), status,
      error: status === 'error' ? 'trajectory failed' : null,
      attrs: { sessionId: str(t.session_id), verdict: str(t.verdict), totalSteps: num(t.total_steps), totalReward: num(t.total_reward), taskBytes: textBytes(t.task) },
    })
  }
  if (tables.has('trajectory_steps')) {
    for (const s of all('SELECT * FROM trajectory_steps')) {
      const ts = toMs(s.created_at)
      if (ts === null) continue
      sink.event({ runId, id: `trajectory:${String(s.trajectory_id)}:step:${String(s.step_number)}`, ts, name: 'trajectory.step', attrs: { reward: num(s.reward), actionBytes: textBytes(s.action) } })
    }
  }
  if (tables.has('sessions')) {
    for (const s of all('SELECT * FROM sessions')) {
      sink.span({
        runId, id: `session:${String(s.id)}`, kind: 'other', name: 'session', startMs: toMs(s.created_at), endMs: toMs(s.updated_at), status: statusOf(s.status),
        attrs: { status: str(s.status), branch: str(s.branch), tasksCompleted: num(s.tasks_completed), patternsLearned: num(s.patterns_learned) },
      })
    }
  }
}
