import type Database from 'better-sqlite3'
import type { RecordSink } from '../records'
import { describe, Fields, rowReason, show, type Problem } from './checks'
import { statusOf } from './hive-db'
import { NAMESPACES } from './memory-namespaces'
import { textBytes } from './project'

type Row = Record<string, unknown>

/**
 * `.swarm/memory.db` (v2: `value`, times in seconds; v3: `content`, times in ms, plus
 * trajectories and sessions) and `.hive-mind/memory.db` (`memories`). A row with a column or a
 * value field of the wrong type is reported as `<table> row <id>` and left out (see checks.ts).
 */
export function importMemoryDb(db: Database.Database, tables: Set<string>, sink: RecordSink, runId: string, report: (reason: string) => void): void {
  const all = (sql: string): Row[] => db.prepare(sql).all() as Row[]
  for (const table of ['memory_entries', 'memories'].filter((t) => tables.has(t))) {
    for (const r of all(`SELECT * FROM "${table}"`)) {
      const handler = typeof r.namespace === 'string' ? NAMESPACES[r.namespace] : undefined
      if (!handler) continue
      // v2 keeps the value in `value`, v3 in `content`.
      const column = 'value' in r ? 'value' : 'content'
      const label = `${table} row ${show(r.id ?? null)} (namespace ${r.namespace})`
      const f = new Fields(r)
      const key = f.name('key') ?? ''
      const value = f.jsonObj(column)
      const ts = f.time('created_at') ?? f.time('timestamp')
      const meta = f.jsonObj('metadata')
      if (!value && f.ok) f.problem(column, 'missing')
      const reject = (problems: Problem[]) => report(`${label}: ${describe(problems)}`)
      const write = value ? handler(sink, runId, { key, value, ts, meta, reject }) : null
      if (write && f.ok) write()
      else reject(f.problems)
    }
    // Entry counts per namespace: how much the swarm remembered, without reading what.
    const when = table === 'memories' ? 'timestamp' : 'COALESCE(updated_at, created_at)'
    for (const c of all(`SELECT namespace, COUNT(*) AS n, MAX(${when}) AS t FROM "${table}" GROUP BY namespace`)) {
      const ts = new Fields(c).time('t')
      if (ts !== null) sink.metric({ runId, name: 'claude_flow.memory.entries', ts, value: Number(c.n), labels: { namespace: String(c.namespace), table } })
      else report(`${table} namespace ${show(c.namespace)}: the latest ${when} ${show(c.t)} is not a time; its entry count is not stored`)
    }
  }
  if (tables.has('trajectories')) importTrajectories(db, tables, sink, runId, report)
}

/** Each row of `table` read by `read`, written by `write` only when every column read was good. */
function eachRow<T>(db: Database.Database, table: string, report: (reason: string) => void, read: (f: Fields) => T, write: (r: T) => void): void {
  for (const row of db.prepare(`SELECT * FROM "${table}"`).all() as Row[]) {
    const f = new Fields(row)
    const r = read(f)
    if (f.ok) write(r)
    else report(rowReason(table, row, f.problems))
  }
}

/** v3 learning loop: a trajectory is one task attempt, its steps are events on it. */
function importTrajectories(db: Database.Database, tables: Set<string>, sink: RecordSink, runId: string, report: (reason: string) => void): void {
  const need = (f: Fields, key: string) => {
    const v = f.name(key)
    f.need(key, v)
    return v ?? ''
  }
  eachRow(db, 'trajectories', report, (f) => {
    const [start, end] = [f.time('started_at'), f.time('ended_at')]
    f.order('started_at', 'ended_at', start, end)
    return { id: need(f, 'id'), start, end, verdict: f.text('verdict'), status: f.text('status'), session: f.name('session_id'), steps: f.count('total_steps'), reward: f.number('total_reward'), task: f.text('task') }
  }, (t) => {
    const status = statusOf(t.verdict ?? t.status)
    sink.span({
      runId, id: `trajectory:${t.id}`, kind: 'task', name: 'trajectory', startMs: t.start, endMs: t.end, status, error: status === 'error' ? 'trajectory failed' : null,
      attrs: { sessionId: t.session, verdict: t.verdict, totalSteps: t.steps, totalReward: t.reward, taskBytes: textBytes(t.task) },
    })
  })
  if (tables.has('trajectory_steps')) {
    eachRow(db, 'trajectory_steps', report, (f) => {
      const ts = f.time('created_at')
      f.need('created_at', ts)
      const step = f.count('step_number')
      f.need('step_number', step)
      return { trajectory: need(f, 'trajectory_id'), step, ts: ts ?? 0, reward: f.number('reward'), action: f.text('action') }
    }, (s) => {
      sink.event({ runId, id: `trajectory:${s.trajectory}:step:${s.step}`, ts: s.ts, name: 'trajectory.step', attrs: { reward: s.reward, actionBytes: textBytes(s.action) } })
    })
  }
  if (tables.has('sessions')) {
    eachRow(db, 'sessions', report, (f) => {
      const [start, end] = [f.time('created_at'), f.time('updated_at')]
      f.order('created_at', 'updated_at', start, end)
      return { id: need(f, 'id'), start, end, status: f.text('status'), branch: f.text('branch'), tasks: f.count('tasks_completed'), patterns: f.count('patterns_learned') }
    }, (s) => {
      sink.span({
        runId, id: `session:${s.id}`, kind: 'other', name: 'session', startMs: s.start, endMs: s.end, status: statusOf(s.status),
        attrs: { status: s.status, branch: s.branch, tasksCompleted: s.tasks, patternsLearned: s.patterns },
      })
    })
  }
}
