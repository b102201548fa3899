import type Database from 'better-sqlite3'
import type { RecordSink } from '../records'
import { Fields, rowReason, show } from './checks'
import { decodeValue, safeAttrs, textBytes } from './project'

type Row = Record<string, unknown>

/** Hive-mind statuses → span status; anything still running or unknown stays 'unset'. */
export function statusOf(v: unknown): 'ok' | 'error' | 'unset' {
  const s = typeof v === 'string' ? v.toLowerCase() : ''
  if (s === 'completed' || s === 'complete' || s === 'success' || s === 'succeeded' || s === 'done') return 'ok'
  if (s === 'failed' || s === 'failure' || s === 'error' || s === 'timeout') return 'error'
  return 'unset'
}

const short = (v: string | null, fallback: string) => (v ?? fallback).slice(0, 120)

/**
 * `.hive-mind/hive.db` (claude-flow v2 hive-mind): swarms and sessions become spans, agents
 * keep their queen as parent, tasks are 'task' spans, session logs and checkpoints are events.
 * Objectives and task descriptions are user text: only their size is kept. A row with a column
 * of the wrong type is reported as `<table> row <id>` and left out (see checks.ts).
 */
export function importHiveDb(db: Database.Database, tables: Set<string>, sink: RecordSink, runId: string, report: (reason: string) => void): void {
  /** Each row of the table read by `read`; rows with problems are reported instead of written. */
  const each = <T>(table: string, read: (f: Fields) => T, write: (r: T) => void) => {
    if (!tables.has(table)) return
    for (const row of db.prepare(`SELECT * FROM "${table}"`).all() as Row[]) {
      const f = new Fields(row)
      const r = read(f)
      if (f.ok) write(r)
      else report(rowReason(table, row, f.problems))
    }
  }
  const id = (f: Fields) => {
    const v = f.name('id')
    f.need('id', v)
    return v ?? ''
  }
  const span = (f: Fields, startKey: string, endKey: string) => {
    const [start, end] = [f.time(startKey), f.time(endKey)]
    f.order(startKey, endKey, start, end)
    return [start, end] as const
  }

  each('swarms', (f) => ({ id: id(f), name: f.text('name'), status: f.text('status'), queenType: f.text('queen_type'), objective: f.text('objective'), time: span(f, 'created_at', 'updated_at') }), (s) => {
    sink.span({
      runId, id: `swarm:${s.id}`, kind: 'other', name: `swarm ${short(s.name, s.id)}`, startMs: s.time[0], endMs: s.time[1] ?? s.time[0], status: statusOf(s.status),
      attrs: { swarmId: s.id, queenType: s.queenType, status: s.status, objectiveBytes: textBytes(s.objective) },
    })
  })

  const agents: { id: string; name: string | null; type: string | null; role: string | null; status: string | null; swarm: string | null; capabilities: string[] | null; ts: number | null }[] = []
  each('agents', (f) => ({
    id: id(f), name: f.text('name'), type: f.text('type'), role: f.text('role'), status: f.text('status'), swarm: f.name('swarm_id'),
    capabilities: f.jsonStrings('capabilities'), ts: f.time('created_at'),
  }), (a) => agents.push(a))
  // Workers report to their swarm's queen: that is the hierarchy the hive-mind runs.
  const queens = new Map(agents.filter((a) => a.role === 'queen').map((a) => [a.swarm, a.id]))
  for (const a of agents) {
    const queen = queens.get(a.swarm)
    sink.agent({
      runId, id: a.id, name: a.name, type: a.type, parentAgentId: queen && queen !== a.id ? queen : null,
      attrs: { role: a.role, status: a.status, swarmId: a.swarm, capabilities: a.capabilities },
    })
    if (a.ts !== null) sink.event({ runId, id: `spawn:${a.id}`, ts: a.ts, name: 'agent.spawned', agentId: a.id, attrs: { role: a.role, type: a.type } })
  }

  each('tasks', (f) => ({
    id: id(f), swarm: f.name('swarm_id'), agent: f.name('agent_id'), status: f.text('status'), priority: f.label('priority'),
    description: f.text('description'), result: f.text('result'), time: span(f, 'created_at', 'completed_at'),
  }), (t) => {
    const status = statusOf(t.status)
    sink.span({
      runId, id: `task:${t.id}`, parentId: t.swarm ? `swarm:${t.swarm}` : null, agentId: t.agent, kind: 'task', name: 'task',
      startMs: t.time[0], endMs: t.time[1], status, error: status === 'error' ? 'task failed' : null,
      attrs: { taskId: t.id, status: t.status, priority: t.priority, descriptionBytes: textBytes(t.description), resultBytes: textBytes(t.result) },
    })
  })

  each('sessions', (f) => ({
    id: id(f), swarm: f.name('swarm_id'), status: f.text('status'), pid: f.count('parent_pid'), pct: f.percent('completion_percentage'),
    metadata: f.o.metadata, time: span(f, 'created_at', 'updated_at'),
  }), (s) => {
    const updated = s.time[1] ?? s.time[0]
    sink.span({
      runId, id: `session:${s.id}`, parentId: s.swarm ? `swarm:${s.swarm}` : null, kind: 'other', name: 'hive-mind session',
      startMs: s.time[0], endMs: updated, status: statusOf(s.status),
      // Metadata is a free-form blob: its scalar fields become attributes, anything else is not read.
      attrs: { sessionId: s.id, swarmId: s.swarm, status: s.status, parentPid: s.pid, ...safeAttrs(decodeValue(s.metadata)) },
    })
    // claude-flow's own estimate of progress, not something it measured.
    if (s.pct !== null && updated !== null) {
      sink.metric({ runId, name: 'claude_flow.hive.session.completion', unit: '%', ts: updated, value: s.pct, labels: { sessionId: s.id }, reported: true })
    }
  })

  /** An event-like row: its time is required (an event is a point in time). */
  const at = (f: Fields, key: string) => {
    const ts = f.time(key)
    f.need(key, ts)
    return ts ?? 0
  }
  each('session_logs', (f) => ({ id: id(f), ts: at(f, 'timestamp'), level: f.text('log_level'), message: f.text('message'), agent: f.name('agent_id'), session: f.name('session_id'), data: f.o.data }), (l) => {
    sink.event({
      runId, id: `log:${l.id}`, ts: l.ts, name: short(l.message, 'hive.log'), severity: l.level, agentId: l.agent,
      attrs: { sessionId: l.session, ...safeAttrs(decodeValue(l.data)) },
    })
  })
  each('session_checkpoints', (f) => ({ id: id(f), ts: at(f, 'created_at'), session: f.name('session_id'), name: f.text('checkpoint_name'), data: f.o.checkpoint_data }), (c) => {
    sink.event({ runId, id: `checkpoint:${c.id}`, ts: c.ts, name: 'hive.checkpoint', attrs: { sessionId: c.session, checkpointName: c.name, ...safeAttrs(decodeValue(c.data)) } })
  })
  each('consensus_decisions', (f) => ({ id: id(f), ts: at(f, 'created_at'), swarm: f.name('swarm_id'), algorithm: f.text('algorithm'), confidence: f.number('confidence'), topic: f.text('topic') }), (d) => {
    sink.event({ runId, id: `consensus:${d.id}`, ts: d.ts, name: 'hive.consensus', attrs: { swarmId: d.swarm, algorithm: d.algorithm, confidence: d.confidence, topicBytes: textBytes(d.topic) } })
  })

  // Shared memory is content: only how much of each kind there is.
  if (tables.has('collective_memory')) {
    const counts = db.prepare('SELECT type, COUNT(*) AS n, MAX(created_at) AS t FROM collective_memory GROUP BY type').all() as Row[]
    for (const c of counts) {
      const f = new Fields(c)
      const ts = f.time('t')
      if (ts !== null) sink.metric({ runId, name: 'claude_flow.hive.memory_entries', ts, value: Number(c.n), labels: { type: typeof c.type === 'string' ? c.type : 'unknown' } })
      else report(`collective_memory type ${show(c.type)}: the latest created_at ${show(c.t)} is not a time; its entry count is not stored`)
    }
  }
}
