import type Database from 'better-sqlite3'
import type { RecordSink } from '../records'
import { decodeValue, num, safeAttrs, str, textBytes, toMs } from './project'

type Row = Record<string, unknown>

/** Hive-mind statuses → span status; anything still running or unknown stays 'unset'. */
export function statusOf(v: unknown): 'ok' | 'error' | 'unset' {
  const s = typeof v === 'string' ? v.toLowerCase() : ''
  if (s === 'completed' || s === 'complete' || s === 'success' || s === 'succeeded' || s === 'done') return 'ok'
  if (s === 'failed' || s === 'failure' || s === 'error' || s === 'timeout') return 'error'
  return 'unset'
}

const name120 = (v: unknown, fallback: string) => (str(v) ?? fallback).slice(0, 120)

/**
 * `.hive-mind/hive.db` (claude-flow v2 hive-mind): swarms and sessions become spans, agents
 * keep their queen as parent, tasks are 'task' spans, session logs and checkpoints are events.
 * Objectives and task descriptions are user text: only their size is kept.
 */
export function importHiveDb(db: Database.Database, tables: Set<string>, sink: RecordSink, runId: string, report: (reason: string) => void): void {
  const all = (table: string): Row[] => (tables.has(table) ? (db.prepare(`SELECT * FROM "${table}"`).all() as Row[]) : [])
  const noTime = (table: string, id: unknown) => report(`hive.db ${table} row ${String(id)} has no usable time; skipped`)

  for (const s of all('swarms')) {
    const id = str(s.id)
    if (!id) continue
    sink.span({
      runId, id: `swarm:${id}`, kind: 'other', name: `swarm ${name120(s.name, id)}`,
      startMs: toMs(s.created_at), endMs: toMs(s.updated_at) ?? toMs(s.created_at), status: statusOf(s.status),
      attrs: { swarmId: id, queenType: str(s.queen_type), status: str(s.status), objectiveBytes: textBytes(s.objective) },
    })
  }

  const agents = all('agents')
  // Workers report to their swarm's queen: that is the hierarchy the hive-mind runs.
  const queens = new Map(agents.filter((a) => a.role === 'queen').map((a) => [a.swarm_id, str(a.id)]))
  for (const a of agents) {
    const id = str(a.id)
    if (!id) continue
    const queen = queens.get(a.swarm_id)
    const capabilities = decodeValue(a.capabilities)
    sink.agent({
      runId, id, name: str(a.name), type: str(a.type), parentAgentId: queen && queen !== id ? queen : null,
      attrs: { role: str(a.role), status: str(a.status), swarmId: str(a.swarm_id), capabilities: Array.isArray(capabilities) ? capabilities : null },
    })
    const ts = toMs(a.created_at)
    if (ts !== null) sink.event({ runId, id: `spawn:${id}`, ts, name: 'agent.spawned', agentId: id, attrs: { role: str(a.role), type: str(a.type) } })
  }

  for (const t of all('tasks')) {
    const id = str(t.id)
    if (!id) continue
    const status = statusOf(t.status)
    sink.span({
      runId, id: `task:${id}`, parentId: str(t.swarm_id) ? `swarm:${t.swarm_id}` : null, agentId: str(t.agent_id), kind: 'task', name: 'task',
      startMs: toMs(t.created_at), endMs: toMs(t.completed_at), status, error: status === 'error' ? 'task failed' : null,
      attrs: { taskId: id, status: str(t.status), priority: num(t.priority), descriptionBytes: textBytes(t.description), resultBytes: textBytes(t.result) },
    })
  }

  for (const s of all('sessions')) {
    const id = str(s.id)
    if (!id) continue
    const updated = toMs(s.updated_at) ?? toMs(s.created_at)
    sink.span({
      runId, id: `session:${id}`, parentId: str(s.swarm_id) ? `swarm:${s.swarm_id}` : null, kind: 'other', name: 'hive-mind session',
      startMs: toMs(s.created_at), endMs: updated, status: statusOf(s.status),
      attrs: { sessionId: id, swarmId: str(s.swarm_id), status: str(s.status), parentPid: num(s.parent_pid), ...safeAttrs(decodeValue(s.metadata)) },
    })
    // claude-flow's own estimate of progress, not something it measured.
    const pct = num(s.completion_percentage)
    if (pct !== null && updated !== null) {
      sink.metric({ runId, name: 'claude_flow.hive.session.completion', unit: '%', ts: updated, value: pct, labels: { sessionId: id }, reported: true })
    }
  }

  for (const l of all('session_logs')) {
    const ts = toMs(l.timestamp)
    if (ts === null) {
      noTime('session_logs', l.id)
      continue
    }
    const level = str(l.log_level)
    sink.event({
      runId, id: `log:${String(l.id)}`, ts, name: name120(l.message, 'hive.log'), severity: level, agentId: str(l.agent_id),
      attrs: { sessionId: str(l.session_id), ...safeAttrs(decodeValue(l.data)) },
    })
  }

  for (const c of all('session_checkpoints')) {
    const ts = toMs(c.created_at)
    if (ts === null) {
      noTime('session_checkpoints', c.id)
      continue
    }
    sink.event({
      runId, id: `checkpoint:${String(c.id)}`, ts, name: 'hive.checkpoint',
      attrs: { sessionId: str(c.session_id), checkpointName: str(c.checkpoint_name), ...safeAttrs(decodeValue(c.checkpoint_data)) },
    })
  }

  for (const d of all('consensus_decisions')) {
    const ts = toMs(d.created_at)
    if (ts === null) {
      noTime('consensus_decisions', d.id)
      continue
    }
    sink.event({
      runId, id: `consensus:${String(d.id)}`, ts, name: 'hive.consensus',
      attrs: { swarmId: str(d.swarm_id), algorithm: str(d.algorithm), confidence: num(d.confidence), topicBytes: textBytes(d.topic) },
    })
  }

  // Shared memory is content: only how much of each kind there is.
  if (tables.has('collective_memory')) {
    const counts = db.prepare('SELECT type, COUNT(*) AS n, MAX(created_at) AS t FROM collective_memory GROUP BY type').all() as Row[]
    for (const c of counts) {
      const ts = toMs(c.t)
      if (ts !== null) sink.metric({ runId, name: 'claude_flow.hive.memory_entries', ts, value: Number(c.n), labels: { type: str(c.type) ?? 'unknown' } })
    }
  }
}
