import type { RecordSink } from '../records'
import { Fields, show, type Problem } from './checks'
import { statusOf } from './hive-db'
import { isObj, numericLeaves, safeAttrs, textBytes, unitOf } from './project'

/** One memory row's value as a handler sees it; `reject` lists a nested item (session-states) on its own. */
export interface MemoryEntry {
  key: string
  value: Fields
  /** The row's own time: what a value without one of its own is put at. */
  ts: number | null
  meta: Fields | null
  reject(problems: Problem[]): void
}
/** Reads the entry's fields and gives back its writes, which run only if every field read was good. */
type Handler = (sink: RecordSink, runId: string, e: MemoryEntry) => () => void

/** The id part of a key like `task:<id>`; '' is no id. */
const afterPrefix = (key: string, prefix: string): string | null => (key.startsWith(prefix) ? key.slice(prefix.length) : key) || null

/** Reads an id that may come from the value or the key; none at all is a problem. */
function idOf(v: Fields, key: string, id: string | null): string {
  if (id === null) v.problem(key, 'missing, and the key holds no id either')
  return id ?? ''
}

function taskSpan(sink: RecordSink, runId: string, id: string, v: Fields, start: number | null, end: number | null, status?: string) {
  const [agentId, type, description, durationMs] = [v.text('agentId'), v.text('type'), v.text('description'), v.duration('duration')]
  const state = v.text('status') ?? status ?? null
  const s = statusOf(state)
  return () =>
    sink.span({
      runId, id: `task:${id}`, agentId, kind: 'task', name: type ?? 'task', startMs: start, endMs: end, status: s, error: s === 'error' ? 'task failed' : null,
      attrs: { taskId: id, status: state, descriptionBytes: textBytes(description), durationMs },
    })
}

function agentSeen(sink: RecordSink, runId: string, id: string, who: { name?: string | null; type?: string | null }, ts: number | null, action: string, attrs: Record<string, unknown>) {
  return () => {
    sink.agent({ runId, id, name: who.name ?? null, type: who.type ?? null, attrs })
    if (ts !== null) sink.event({ runId, id: `${action}:${id}:${ts}`, ts, name: `agent.${action}`, agentId: id })
  }
}

/**
 * What claude-flow's hooks and MCP server write into `.swarm/memory.db`, by namespace
 * (see hooks.js: pre-task/post-task, agent-spawned, session-end). Other namespaces are the
 * user's memory, counted but not read.
 */
export const NAMESPACES: Record<string, Handler> = {
  'hooks:pre-task': (s, run, { key, value: v, ts }) => taskSpan(s, run, idOf(v, 'taskId', v.text('taskId') ?? afterPrefix(key, 'task:')), v, v.time('startedAt') ?? ts, null),
  'hooks:post-task': (s, run, { key, value: v, ts }) => {
    const id = idOf(v, 'taskId', v.text('taskId') ?? afterPrefix(key.replace(/:completed$/, ''), 'task:'))
    const [start, end] = [v.time('startedAt'), v.time('completedAt') ?? ts]
    v.order('startedAt', 'completedAt', start, end)
    return taskSpan(s, run, id, v, start, end, 'completed')
  },
  'task-index': (s, run, { value: v, ts }) => {
    const id = v.text('taskId')
    v.need('taskId', id)
    return taskSpan(s, run, id ?? '', v, v.time('timestamp') ?? ts, null)
  },
  tasks: (s, run, { key, value: v, ts }) => {
    const id = idOf(v, 'taskId', v.text('taskId') ?? v.text('id') ?? afterPrefix(key, 'task:'))
    const [start, end] = [v.time('createdAt') ?? v.time('created') ?? ts, v.time('completedAt')]
    v.order('createdAt', 'completedAt', start, end)
    return taskSpan(s, run, id, v, start, end)
  },
  'hooks:agent-spawned': (s, run, { key, value: v, ts }) => {
    const id = idOf(v, 'agentName', v.text('agentName') ?? afterPrefix(key, 'agent:'))
    return agentSeen(s, run, id, { type: v.text('agentType') }, v.time('spawnedAt') ?? ts, 'spawned', { swarmId: v.text('swarmId') })
  },
  'agent-roster': (s, run, { value: v, ts }) => {
    const id = v.text('agentName')
    v.need('agentName', id)
    return agentSeen(s, run, id ?? '', {}, v.time('timestamp') ?? ts, v.text('action') ?? 'seen', {})
  },
  agents: (s, run, { key, value: v, ts }) => {
    const id = idOf(v, 'agentId', v.text('agentId') ?? v.text('id') ?? afterPrefix(key, 'agent:'))
    const who = { name: v.text('name'), type: v.text('type') }
    return agentSeen(s, run, id, who, v.time('createdAt') ?? v.time('created') ?? ts, 'spawned', { swarmId: v.text('swarmId'), status: v.text('status') })
  },
  swarms: (s, run, { key, value: v, ts }) => {
    const id = idOf(v, 'id', v.text('id') ?? v.text('swarmId') ?? afterPrefix(key, 'swarm:'))
    const start = v.time('createdAt') ?? v.time('created') ?? ts
    const topology = v.text('topology')
    return () => s.span({ runId: run, id: `swarm:${id}`, kind: 'other', name: `swarm ${topology ?? id}`, startMs: start, endMs: start, status: 'unset', attrs: { swarmId: id, ...safeAttrs(v.o) } })
  },
  sessions: (s, run, { key, value: v, ts }) => {
    const end = v.time('endedAt') ?? ts
    const { metrics: _metrics, ...summary } = v.o
    return () => {
      if (end !== null) s.event({ runId: run, id: `session-end:${afterPrefix(key, 'session:') ?? end}`, ts: end, name: 'session.end', attrs: safeAttrs(summary) })
    }
  },
  'session-states': (s, run, e) => {
    // The session-end hook copies the task index and agent roster here: read them like the
    // originals, each its own entry (one bad copy leaves the others in).
    for (const [list, ns] of [['tasks', 'task-index'], ['agents', 'agent-roster']] as const) {
      e.value.list(list).forEach((item, i) => {
        const at = [...e.value.at, list, i]
        if (!isObj(item)) return e.reject([{ at, message: `expected an object, got ${show(item)}` }])
        // A copy is `{ key, value: <the original's JSON text> }`, or the original object itself.
        const holder = new Fields(item, at)
        const key = holder.text('key') ?? ''
        const value = item.value === undefined || item.value === null ? holder : holder.jsonObj('value')
        const write = value ? NAMESPACES[ns](s, run, { key, value, ts: e.ts, meta: null, reject: e.reject }) : null
        if (write && holder.ok) write()
        else e.reject(holder.problems)
      })
    }
    return () => {}
  },
  'session-metrics': (s, run, { key, value: v, ts, meta }) => {
    const at = v.time('timestamp') ?? ts
    const sessionId = meta?.text('sessionId') ?? afterPrefix(key, 'session-metrics:') ?? 'unknown'
    return () => {
      if (at === null) return
      for (const [path, value] of numericLeaves(v.o)) s.metric({ runId: run, name: `claude_flow.session.${path}`, unit: unitOf(path), ts: at, value, labels: { sessionId } })
    }
  },
  performance: (s, run, { key, value: v, ts }) => {
    const at = v.time('timestamp') ?? ts
    const [d, taskId] = [v.duration('duration'), v.text('taskId')]
    return () => {
      if (at !== null && d !== null) s.metric({ runId: run, name: 'claude_flow.task.duration', unit: 'ms', ts: at, value: d, labels: { taskId: taskId ?? key } })
    }
  },
}
