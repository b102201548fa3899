import { cpSync, readFileSync, truncateSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { createCore } from '../../src/core'
import { tempDb, tempDir } from '../helpers/temp'
import { FIXTURES, importOk, query, tableCounts, type Core } from './ingest-helpers'

// Bad input in real claude-flow files, damaged in a scratch copy: each bad entry is listed with
// its file, line (JSON) or table row (SQLite) and reason; the good entries around it import,
// with counts worked out here from the files; and nothing already stored changes.

const CF = `${FIXTURES}claude-flow/`
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any
const json = (p: string): J => JSON.parse(readFileSync(p, 'utf8'))
/** claude-flow pretty-prints its JSON with two spaces. */
const write = (p: string, v: unknown) => writeFileSync(p, JSON.stringify(v, null, 2))

function copyOf(fixture: string): string {
  const to = join(tempDir(), 'project')
  cpSync(`${CF}${fixture}`, to, { recursive: true })
  return to
}

/** The 1-based line holding `needle`, found the plain way; it must be there exactly once. */
function lineOf(file: string, needle: string): number {
  const lines = readFileSync(file, 'utf8').split('\n')
  expect(lines.filter((l) => l.includes(needle))).toHaveLength(1)
  return lines.findIndex((l) => l.includes(needle)) + 1
}

async function importInto(core: Core, dir: string) {
  const result = await importOk(core, [dir])
  // Only claude-flow's folders: v3.43 also holds a recorded MCP exchange (.jsonl) of no format.
  const own = result.skipped.filter((s) => /^\.(claude-flow|swarm|hive-mind)\//.test(relative(dir, s.file)))
  const skipped = own.map((s) => [relative(dir, s.file), s.line, s.reason] as [string, number | null, string])
  return { result, skipped: skipped.sort((a, b) => a[0].localeCompare(b[0]) || (a[1] ?? 0) - (b[1] ?? 0)) }
}

async function importOnce(dir: string) {
  const db = tempDb()
  const core = createCore({ path: db })
  const out = await importInto(core, dir)
  core.close()
  return { db, ...out, run: out.result.runs[0] }
}

const noBackwardSpans = (db: string) => expect(query(db, 'SELECT id FROM spans WHERE end_ms < start_ms')).toEqual([])

describe('claude-flow bad input', () => {
  it('v2 metrics: wrong types and negative durations are skipped at their line; the good tasks and actions import', async () => {
    const dir = copyOf('v2.0-alpha_Agentist-Elder')
    const m = `${dir}/.claude-flow/metrics`
    const [base] = json(`${m}/task-metrics.json`)
    const tasks = [
      base,
      { ...base, id: 'cmd-wrong-types', success: 'yes', duration: 'long', timestamp: 'soon' },
      { ...base, id: 'cmd-negative', duration: -5, timestamp: base.timestamp + 10 },
      { ...base, id: 'cmd-later', timestamp: base.timestamp + 20_000 },
    ]
    write(`${m}/task-metrics.json`, tasks)
    const agentsFile = `${m}/agent-metrics.danizeeincali_agent-feed.json`
    const agents = json(agentsFile)
    const [type] = Object.keys(agents)
    agents[type].actions.push({ ...agents[type].actions[0], id: 'action-negative', duration: -1 })
    agents.coder = { total: 'x', actions: 'nope' }
    write(agentsFile, agents)

    const { db, run, skipped } = await importOnce(dir)
    const taskFile = `${m}/task-metrics.json`
    expect(skipped).toEqual([
      [relative(dir, agentsFile), lineOf(agentsFile, '"duration": -1'), expect.stringMatching(/^agent-metrics\.json: \S+\.actions\[1\]\.duration: expected a duration in ms \(a number ≥ 0\), got -1$/)],
      [relative(dir, agentsFile), lineOf(agentsFile, '"total": "x"'), expect.stringMatching(/coder\.total: expected a count.*got "x"; coder\.actions: expected a list, got "nope"$/)],
      // The first bad field of the entry in the file gives the line, whichever the reader met first.
      [relative(dir, taskFile), lineOf(taskFile, '"success": "yes"'), expect.stringMatching(/^task-metrics\.json\[1\]\.\w+: .*\[1\]\.success: expected true or false, got "yes"/)],
      [relative(dir, taskFile), lineOf(taskFile, '"duration": -5'), expect.stringMatching(/^task-metrics\.json\[2\]\.duration: expected a duration in ms \(a number ≥ 0\), got -5$/)],
    ])
    // Worked out from the files: what a task and an action must be to import.
    const goodTasks = tasks.filter((t) => typeof t.success === 'boolean' && typeof t.timestamp === 'number' && typeof t.duration === 'number' && t.duration >= 0)
    const goodActions = agents[type].actions.filter((a: J) => typeof a.timestamp === 'number' && a.duration >= 0)
    expect({ agents: run.agents, spans: run.spans }).toEqual({ agents: 1, spans: goodTasks.length + goodActions.length })
    expect(query<J>(db, "SELECT id FROM spans WHERE kind = 'task' ORDER BY id").map((r) => r.id)).toEqual(goodTasks.map((t) => `task:${t.id}`).sort())
    noBackwardSpans(db)
  })

  it('daemon-state: bad worker entries are skipped at their line; the other workers import and their failures count as errors', async () => {
    const dir = copyOf('v3_ruflo-powers')
    const file = `${dir}/.claude-flow/daemon-state.json`
    const state = json(file)
    state.workers.map.averageDurationMs = 'slow'
    state.workers.audit.runCount = -4
    state.workers.consolidate.lastRun = 'soon'
    write(file, state)

    const { db, run, skipped } = await importOnce(dir)
    const rel = '.claude-flow/daemon-state.json'
    expect(skipped).toEqual([
      [rel, lineOf(file, '"averageDurationMs": "slow"'), expect.stringMatching(/^daemon-state\.json: workers\.map\.averageDurationMs: expected a duration in ms .*got "slow"$/)],
      [rel, lineOf(file, '"runCount": -4'), expect.stringMatching(/^daemon-state\.json: workers\.audit\.runCount: expected a count \(a whole number ≥ 0\), got -4$/)],
      [rel, lineOf(file, '"lastRun": "soon"'), expect.stringMatching(/^daemon-state\.json: workers\.consolidate\.lastRun: expected a time .*got "soon"$/)],
    ])
    const good = Object.entries(state.workers as Record<string, J>).filter(([name]) => !['map', 'audit', 'consolidate'].includes(name)).map(([, w]) => w)
    const failures = good.reduce((n, w) => n + w.failureCount, 0)
    expect(failures).toBeGreaterThan(0)
    expect(query<J>(db, "SELECT COUNT(*) n FROM metric_samples WHERE name LIKE 'claude_flow.daemon.%'")[0].n).toBe(good.length * 4)
    expect(query<J>(db, "SELECT COUNT(*) n FROM spans WHERE id LIKE 'daemon:%'")[0].n).toBe(good.filter((w) => w.lastStartedAt).length)
    // Worker failures are failures of the run: one error event each, marked as claude-flow's report.
    expect(run.errors).toBe(failures)
    const events = query<J>(db, "SELECT severity, json_extract(attrs, '$.reported') AS reported FROM events WHERE name = 'daemon.worker.failed'")
    expect(events).toEqual(Array(failures).fill({ severity: 'error', reported: 1 }))
  })

  it('v3 JSON files: a bad agent, task, swarm, broadcast, outcome and sample are skipped at their line; the rest imports', async () => {
    const dir = copyOf('v3.43_local-cli-run')
    const c = `${dir}/.claude-flow`
    const edit = (path: string, change: (v: J) => void) => {
      const v = json(`${c}/${path}`)
      change(v)
      write(`${c}/${path}`, v)
    }
    edit('agents/store.json', (v) => {
      v.agents['agent-bad'] = { agentId: 'agent-bad', agentType: 'coder', taskCount: 'x' }
      // Keyed by "" and without an agentId: an agent with no id (fuzzing found it stored as one).
      v.agents[''] = { agentType: 'coder' }
    })
    edit('tasks/store.json', (v) => {
      v.tasks['task-backwards'] = { taskId: 'task-backwards', startedAt: '2026-11-24T00:40:00.000Z', completedAt: '2026-11-24T00:30:00.000Z' }
      v.tasks['task-over'] = { taskId: 'task-over', progress: 150 }
    })
    edit('swarm/swarm-state.json', (v) => (v.swarms['swarm-bad'] = { swarmId: 'swarm-bad', maxAgents: -1, createdAt: '2026-11-24T00:15:14.724Z' }))
    edit('hive-mind/state.json', (v) => v.sharedMemory.broadcasts.push({ messageId: 'msg-bad', message: 'x', timestamp: 'soon' }))
    edit('routing-outcomes.json', (v) => v.outcomes.push({ task: 't', agent: 'coder', success: 'yes', timestamp: '2026-11-24T00:16:07.000Z' }))
    edit('performance/metrics.json', (v) => v.metrics.push({ ...v.metrics[0], timestamp: 'later' }))

    const { run, skipped } = await importOnce(dir)
    expect(skipped).toEqual([
      ['.claude-flow/agents/store.json', lineOf(`${c}/agents/store.json`, '"taskCount": "x"'), expect.stringMatching(/^agents\.json: agents\.agent-bad\.taskCount: expected a count/)],
      ['.claude-flow/agents/store.json', lineOf(`${c}/agents/store.json`, '"": {'), 'agents.json: agents[""].agentId: missing (no agentId and an empty key)'],
      ['.claude-flow/hive-mind/state.json', lineOf(`${c}/hive-mind/state.json`, '"timestamp": "soon"'), expect.stringMatching(/^hive-mind-state\.json: sharedMemory\.broadcasts\[1\]\.timestamp: expected a time/)],
      ['.claude-flow/performance/metrics.json', lineOf(`${c}/performance/metrics.json`, '"timestamp": "later"'), expect.stringMatching(/^perf\.json: metrics\[3\]\.timestamp: expected a time/)],
      ['.claude-flow/routing-outcomes.json', lineOf(`${c}/routing-outcomes.json`, '"success": "yes"'), expect.stringMatching(/^routing-outcomes\.json: outcomes\[1\]\.success: expected true or false/)],
      ['.claude-flow/swarm/swarm-state.json', lineOf(`${c}/swarm/swarm-state.json`, '"maxAgents": -1'), expect.stringMatching(/^swarm-state\.json: swarms\.swarm-bad\.maxAgents: expected a count/)],
      ['.claude-flow/tasks/store.json', lineOf(`${c}/tasks/store.json`, '"completedAt": "2026-11-24T00:30:00.000Z"'), expect.stringMatching(/^tasks\.json: tasks\.task-backwards\.completedAt: is 600000 ms before startedAt: end before start$/)],
      ['.claude-flow/tasks/store.json', lineOf(`${c}/tasks/store.json`, '"progress": 150'), expect.stringMatching(/^tasks\.json: tasks\.task-over\.progress: expected a percentage \(0 to 100\), got 150$/)],
    ])
    // Every entry added above is bad, so the run holds what the untouched fixture holds.
    const clean = await importOnce(copyOf('v3.43_local-cli-run'))
    expect({ agents: run.agents, spans: run.spans, events: run.events, metrics: run.metricSamples }).toEqual({
      agents: clean.run.agents, spans: clean.run.spans, events: clean.run.events, metrics: clean.run.metricSamples,
    })
  })

  it('whole files: truncated, broken, empty and binary files are reported with their line; the project still imports', async () => {
    const dir = copyOf('v3.43_local-cli-run')
    const c = `${dir}/.claude-flow`
    const daemon = readFileSync(`${c}/daemon-state.json`, 'utf8')
    truncateSync(`${c}/daemon-state.json`, Math.floor(daemon.length * 0.6))
    const truncated = readFileSync(`${c}/daemon-state.json`, 'utf8')
    writeFileSync(`${c}/tasks/store.json`, readFileSync(`${c}/tasks/store.json`, 'utf8').replace('"progress": 0,', '"progress": 0,,'))
    writeFileSync(`${c}/metrics/learning.json`, '')
    writeFileSync(`${c}/agents/store.json`, Buffer.from([0x53, 0x51, 0, 0, 0xff, 0x0a, 0x01]))

    const { run, skipped } = await importOnce(dir)
    expect(skipped).toEqual([
      ['.claude-flow/agents/store.json', 1, expect.stringMatching(/^binary file, not JSON/)],
      // Cut mid-file, the JSON ends too soon: on the last line there is.
      ['.claude-flow/daemon-state.json', truncated.split('\n').length, expect.stringMatching(/^not valid JSON/)],
      ['.claude-flow/metrics/learning.json', null, 'empty file'],
      ['.claude-flow/tasks/store.json', lineOf(`${c}/tasks/store.json`, '"progress": 0,,'), expect.stringMatching(/^not valid JSON/)],
    ])
    expect(run.spans).toBeGreaterThan(0)
  })

  it('hive.db and memory.db: bad rows are skipped by table and row id; the good rows import', async () => {
    const dir = copyOf('v2.7_swarm-tickets')
    const hive = new Database(`${dir}/.hive-mind/hive.db`)
    const swarm = (hive.prepare('SELECT id FROM swarms').get() as { id: string }).id
    const task = hive.prepare('INSERT INTO tasks (id, swarm_id, status, priority, created_at, completed_at) VALUES (?, ?, ?, ?, ?, ?)')
    task.run('task-good', swarm, 'completed', 'high', '2026-01-21 00:30:00', '2026-01-21 00:31:00')
    task.run('task-no-time', swarm, 'pending', 5, 'soon', null)
    task.run('task-backwards', swarm, 'completed', 5, '2026-01-21 00:31:00', '2026-01-21 00:30:00')
    const session = (hive.prepare('SELECT id FROM sessions').get() as { id: string }).id
    hive.prepare("INSERT INTO session_logs (session_id, timestamp, message) VALUES (?, 'never', 'x')").run(session)
    const badLog = (hive.prepare('SELECT MAX(id) AS id FROM session_logs').get() as { id: number }).id
    hive.close() // checkpoints: the WAL is folded into the copy and removed
    const emoji = copyOf('v2_emoji-monogram')
    const mem = new Database(`${emoji}/.swarm/memory.db`)
    const entry = mem.prepare('INSERT INTO memory_entries (key, value, namespace, created_at) VALUES (?, ?, ?, 1754684000)')
    entry.run('task:t-good', '{"taskId":"t-good","startedAt":"2025-08-08T20:00:00Z"}', 'hooks:pre-task')
    const badStart = entry.run('task:t-bad', '{"taskId":"t-bad","startedAt":"soon"}', 'hooks:pre-task').lastInsertRowid
    const badDuration = entry.run('perf-1', '{"duration":-3,"timestamp":"2025-08-08T20:00:00Z"}', 'performance').lastInsertRowid
    // session-end copies the task index as {key, value: JSON text}: each copy is an entry of its own.
    const copies = [{ key: 'task:t-copy-bad', value: '{"taskId":"t-copy-bad","timestamp":"soon"}' }, { key: 'task:t-copy', value: '{"taskId":"t-copy","timestamp":"2025-08-08T20:01:00Z"}' }]
    const state = entry.run('session-state:s2', JSON.stringify({ tasks: copies, agents: [] }), 'session-states').lastInsertRowid
    mem.close()

    const h = await importOnce(dir)
    // In the order the reader meets them: tasks, then session logs.
    expect(h.skipped).toEqual([
      ['.hive-mind/hive.db', null, expect.stringMatching(/^hive\.db tasks row "task-no-time": created_at: expected a time .*got "soon"$/)],
      ['.hive-mind/hive.db', null, expect.stringMatching(/^hive\.db tasks row "task-backwards": completed_at: is 60000 ms before created_at: end before start$/)],
      ['.hive-mind/hive.db', null, `hive.db session_logs row ${badLog}: timestamp: expected a time (ISO 8601, epoch ms or s, or SQLite datetime), got "never"`],
    ])
    // The rows that import are worked out with SQLite's own reading of the times.
    const copy = `${dir}/.hive-mind/hive.db`
    const sqlCount = (q: string) => query<{ n: number }>(copy, q)[0].n
    const goodTasks = sqlCount('SELECT COUNT(*) n FROM tasks WHERE julianday(created_at) IS NOT NULL AND (completed_at IS NULL OR julianday(completed_at) >= julianday(created_at))')
    expect(query<J>(h.db, "SELECT COUNT(*) n FROM spans WHERE kind = 'task' AND id NOT LIKE 'task:cmd-%'")[0].n).toBe(goodTasks)
    expect(query<J>(h.db, "SELECT COUNT(*) n FROM events WHERE id LIKE 'log:%'")[0].n).toBe(sqlCount("SELECT COUNT(*) n FROM session_logs WHERE julianday(timestamp) IS NOT NULL"))
    noBackwardSpans(h.db)

    const m = await importOnce(emoji)
    expect(m.skipped).toEqual([
      ['.swarm/memory.db', null, `memory.db memory_entries row ${badStart} (namespace hooks:pre-task): value.startedAt: expected a time (ISO 8601, epoch ms or s, or SQLite datetime), got "soon"`],
      ['.swarm/memory.db', null, `memory.db memory_entries row ${badDuration} (namespace performance): value.duration: expected a duration in ms (a number ≥ 0), got -3`],
      ['.swarm/memory.db', null, expect.stringMatching(new RegExp(`^memory\\.db memory_entries row ${state} \\(namespace session-states\\): value\\.tasks\\[0\\]\\.value\\.timestamp: expected a time`))],
    ])
    expect(query<J>(m.db, "SELECT id FROM spans WHERE kind = 'task' ORDER BY id")).toEqual([{ id: 'task:t-copy' }, { id: 'task:t-good' }])
    expect(query<J>(m.db, "SELECT COUNT(*) n FROM metric_samples WHERE name = 'claude_flow.task.duration'")[0].n).toBe(0)
  })

  it('leaves a store that already holds runs unchanged when a re-imported project has gone bad', async () => {
    const dump = (db: string) =>
      ['runs', 'agents', 'spans', 'events', 'metric_samples'].map((t) => query(db, `SELECT * FROM ${t} ORDER BY 1, 2, 3`).map((r) => JSON.stringify(r)))
    const db = tempDb()
    const core = createCore({ path: db })
    const v2 = copyOf('v2.0-alpha_Agentist-Elder')
    const v3 = copyOf('v3.43_local-cli-run')
    for (const dir of [v2, v3]) expect((await importInto(core, dir)).skipped).toEqual([])
    const before = dump(db)
    const counts = tableCounts(db)

    // The same projects, rewritten by a broken claude-flow: every entry of these files is bad.
    const tasks = json(`${v2}/.claude-flow/metrics/task-metrics.json`)
    write(`${v2}/.claude-flow/metrics/task-metrics.json`, tasks.map((t: J) => ({ ...t, duration: -t.duration - 1 })))
    const daemon = json(`${v3}/.claude-flow/daemon-state.json`)
    for (const w of Object.values(daemon.workers) as J[]) w.runCount = 'many'
    write(`${v3}/.claude-flow/daemon-state.json`, daemon)
    writeFileSync(`${v3}/.claude-flow/agents/store.json`, '{"agents": {')
    const again = [await importInto(core, v2), await importInto(core, v3)]
    core.close()
    expect(again.flatMap((r) => r.skipped).length).toBe(tasks.length + Object.keys(daemon.workers).length + 1)
    expect(tableCounts(db)).toEqual(counts)
    expect(dump(db)).toEqual(before)
  })
})
