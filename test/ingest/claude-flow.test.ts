import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, utimesSync, watch, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { createCore } from '../../src/core'
import { tempDb, tempDir } from '../helpers/temp'
import { FIXTURES, importOk, query, sha256, tableCounts } from './ingest-helpers'

const CF = `${FIXTURES}claude-flow/`
const V2A = `${CF}v2.0-alpha_Agentist-Elder`
const V27 = `${CF}v2.7_swarm-tickets`
const EMOJI = `${CF}v2_emoji-monogram`
const V343 = `${CF}v3.43_local-cli-run`
const RUFLO = `${CF}v3_ruflo-powers`
const JSONF = `${CF}v3_jsonformatter`

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any
const json = (p: string): J => JSON.parse(readFileSync(p, 'utf8'))

/**
 * The expected metric count of a snapshot, written here independently: every finite number in
 * nested objects, except keys that hold times or are private (`_note`…), booleans and nulls.
 */
function numbersIn(o: J, timeKeys = /^(startTime|lastActivity|timestamp|initialized|lastCheck|scannedAt)$|At$/): number {
  let n = 0
  for (const [k, v] of Object.entries(o ?? {})) {
    if (k.startsWith('_') || timeKeys.test(k)) continue
    if (typeof v === 'number' && Number.isFinite(v)) n++
    else if (v && typeof v === 'object' && !Array.isArray(v)) n += numbersIn(v, timeKeys)
  }
  return n
}

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? allFiles(join(dir, e.name)) : [join(dir, e.name)]))
}

/** A scratch copy of a fixture folder, so SQL counting never opens the originals. */
function copyOf(dir: string): string {
  const to = join(tempDir(), 'copy')
  cpSync(dir, to, { recursive: true })
  return to
}

function sql<T = J>(dbFile: string, q: string): T[] {
  const db = new Database(dbFile, { readonly: true })
  try {
    return db.prepare(q).all() as T[]
  } finally {
    db.close()
  }
}
const count = (dbFile: string, q: string) => (sql<{ n: number }>(dbFile, q)[0]?.n ?? 0)

/**
 * Skips inside claude-flow's own folders. A fixture also holds files of no format (v3.43's
 * recorded MCP exchange, `mcp-ws/*.jsonl`), which a folder import lists as unknown since 91ddcb4.
 */
const claudeFlowSkips = (skipped: { file: string }[]) => skipped.filter((s) => /[\\/]\.(claude-flow|swarm|hive-mind)[\\/]/.test(s.file))

async function importProject(dir: string) {
  const db = tempDb()
  const core = createCore({ path: db })
  const result = await importOk(core, [dir])
  core.close()
  expect(claudeFlowSkips(result.skipped)).toEqual([])
  expect(result.runs).toHaveLength(1)
  return { db, run: result.runs[0] }
}

describe('claude-flow v2', () => {
  it('imports the v2.0-alpha metrics JSON (7-key performance.json, agent-metrics by type)', async () => {
    const m = `${V2A}/.claude-flow/metrics`
    const tasks = json(`${m}/task-metrics.json`)
    const agents = json(`${m}/agent-metrics.danizeeincali_agent-feed.json`)
    const perf = json(`${m}/performance.json`)
    expect(Object.keys(perf)).toHaveLength(7)
    const actions = Object.values(agents).flatMap((a: J) => a.actions)
    const agentTotals = Object.values(agents).reduce((n: number, a: J) => n + ['total', 'successful', 'failed', 'totalDuration'].filter((k) => typeof a[k] === 'number').length, 0)

    const { db, run } = await importProject(V2A)
    expect(run.source).toBe('claude-flow')
    expect(run.agents).toBe(Object.keys(agents).length)
    expect(run.spans).toBe(tasks.length + actions.length)
    expect(run.metricSamples).toBe(numbersIn(perf) + agentTotals)
    const task = query<J>(db, "SELECT start_ms, end_ms, status, kind FROM spans WHERE id = ?", `task:${tasks[0].id}`)[0]
    expect(task).toEqual({ start_ms: Math.round(tasks[0].timestamp - tasks[0].duration), end_ms: tasks[0].timestamp, status: 'ok', kind: 'task' })
  })

  it('imports v2.7: the memoryMode/operations/reasoningbank performance.json, system samples and the WAL-only rows of hive.db', async () => {
    const m = `${V27}/.claude-flow/metrics`
    const perf = json(`${m}/performance.json`)
    expect(perf.memoryMode && perf.operations && perf.reasoningbank).toBeTruthy()
    const system = json(`${m}/system-metrics.json`)
    const systemNumbers = system.reduce((n: number, s: J) => n + numbersIn(s), 0)
    const tasks = json(`${m}/task-metrics.json`)

    const hive = `${copyOf(`${V27}/.hive-mind`)}/hive.db`
    const mainOnly = join(tempDir(), 'hive.db')
    cpSync(`${V27}/.hive-mind/hive.db`, mainOnly)
    const logs = count(hive, 'SELECT COUNT(*) n FROM session_logs')
    // The point of the fixture: most rows exist only in the -wal; a reader of the main file alone misses them.
    expect(count(mainOnly, 'SELECT COUNT(*) n FROM session_logs')).toBeLessThan(logs)
    const expected = {
      agents: count(hive, 'SELECT COUNT(*) n FROM agents'),
      spans: count(hive, 'SELECT (SELECT COUNT(*) FROM swarms) + (SELECT COUNT(*) FROM sessions) + (SELECT COUNT(*) FROM tasks) n') + tasks.length,
      events: logs + count(hive, 'SELECT (SELECT COUNT(*) FROM session_checkpoints) + (SELECT COUNT(*) FROM consensus_decisions) + (SELECT COUNT(*) FROM agents WHERE created_at IS NOT NULL) n'),
      metrics: systemNumbers + numbersIn(perf) + count(hive, 'SELECT COUNT(DISTINCT type) n FROM collective_memory') + count(hive, 'SELECT COUNT(*) n FROM sessions WHERE completion_percentage IS NOT NULL'),
    }

    const { db, run } = await importProject(V27)
    expect({ agents: run.agents, spans: run.spans, events: run.events, metrics: run.metricSamples }).toEqual(expected)
    const logIds = sql<{ id: number }>(hive, 'SELECT id FROM session_logs').map((r) => `log:${r.id}`)
    expect(query<J>(db, "SELECT id FROM events WHERE id LIKE 'log:%' ORDER BY id").map((r) => r.id)).toEqual(logIds.sort())
    // Workers hang under their swarm's queen.
    const queen = sql<J>(hive, "SELECT id FROM agents WHERE role = 'queen'")[0].id
    const workers = count(hive, "SELECT COUNT(*) n FROM agents WHERE role <> 'queen'")
    expect(query<J>(db, 'SELECT COUNT(*) n FROM agents WHERE parent_agent_id = ?', queen)[0].n).toBe(workers)
    // Hive-mind's progress percentage is its own estimate: stored, but as reported.
    expect(query<J>(db, "SELECT DISTINCT reported FROM metric_samples WHERE name = 'claude_flow.hive.session.completion'")).toEqual([{ reported: 1 }])
    // Free text (the objective) is sized, never stored.
    expect(query<J>(db, 'SELECT attrs FROM spans UNION ALL SELECT attrs FROM events').some((r) => r.attrs.includes('ticket system'))).toBe(false)
  })

  it('imports the v2 .swarm/memory.db written by hooks session-end', async () => {
    const mem = `${copyOf(`${EMOJI}/.swarm`)}/memory.db`
    const rows = sql<J>(mem, 'SELECT namespace, value FROM memory_entries')
    const sessionMetrics = rows.filter((r) => r.namespace === 'session-metrics').reduce((n, r) => n + numbersIn(JSON.parse(r.value)), 0)
    const namespaces = new Set(rows.map((r) => r.namespace)).size
    const { db, run } = await importProject(EMOJI)
    expect(run.events).toBe(rows.filter((r) => r.namespace === 'sessions').length)
    expect(run.metricSamples).toBe(sessionMetrics + namespaces)
    const entries = query<J>(db, "SELECT labels, value FROM metric_samples WHERE name = 'claude_flow.memory.entries'")
    expect(entries.reduce((n, r) => n + r.value, 0)).toBe(rows.length)
  })
})

describe('claude-flow v3 / ruflo', () => {
  it('imports every file of the real claude-flow@3.43 project into one run', async () => {
    const c = `${V343}/.claude-flow`
    const daemon = json(`${c}/daemon-state.json`)
    const workers = Object.values(daemon.workers) as J[]
    const store = json(`${c}/agents/store.json`).agents
    const hiveAgents = json(`${c}/agents.json`).agents
    const hive = json(`${c}/hive-mind/state.json`)
    const swarms = json(`${c}/swarm/swarm-state.json`).swarms
    const tasks = json(`${c}/tasks/store.json`).tasks
    const outcomes = json(`${c}/routing-outcomes.json`).outcomes
    const perfSamples = json(`${c}/performance/metrics.json`).metrics
    const snapshots = ['consolidation', 'learning', 'performance', 'swarm-activity', 'v3-progress'].map((s) => json(`${c}/metrics/${s}.json`))
    const mem = `${copyOf(`${V343}/.swarm`)}/memory.db`

    const agentIds = new Set<string>(['daemon', hive.queen.agentId, ...hive.workers, ...Object.keys(store), ...Object.keys(hiveAgents), ...Object.values(swarms).flatMap((s: J) => s.agents)])
    const swarmIds = new Set([...Object.keys(swarms), json(`${V343}/.swarm/state.json`).id])
    const expected = {
      agents: agentIds.size,
      spans: workers.filter((w) => w.lastStartedAt).length + swarmIds.size + Object.keys(tasks).length + (hive.createdAt ? 1 : 0),
      events: [...Object.values(store), ...Object.values(hiveAgents)].filter((a: J) => a.createdAt).length + hive.sharedMemory.broadcasts.length + hive.consensus.history.length + outcomes.length,
      metrics:
        workers.reduce((n, w) => n + ['runCount', 'successCount', 'failureCount', 'averageDurationMs'].filter((k) => typeof w[k] === 'number').length, 0) +
        perfSamples.reduce((n: number, s: J) => n + numbersIn(s), 0) +
        snapshots.reduce((n, s) => n + numbersIn(s), 0) +
        numbersIn(json(`${c}/system/metrics.json`)) +
        outcomes.filter((o: J) => typeof o.quality === 'number').length +
        count(mem, 'SELECT COUNT(DISTINCT namespace) n FROM memory_entries'),
    }
    const { db, run } = await importProject(V343)
    expect({ agents: run.agents, spans: run.spans, events: run.events, metrics: run.metricSamples }).toEqual(expected)

    // claude-flow's constants and placeholders are stored as reported, its timers and counters as measured.
    const perf = snapshots[2]
    expect(query<J>(db, "SELECT value, reported FROM metric_samples WHERE name = 'claude_flow.performance.optimizations.cacheHitRate'")).toEqual([
      { value: perf.optimizations.cacheHitRate, reported: 1 },
    ])
    expect(query<J>(db, "SELECT DISTINCT reported FROM metric_samples WHERE name LIKE 'claude_flow.learning.%' OR name LIKE 'claude_flow.v3-progress.%'")).toEqual([{ reported: 1 }])
    expect(query<J>(db, "SELECT DISTINCT reported FROM metric_samples WHERE name LIKE 'claude_flow.daemon.%' OR name LIKE 'claude_flow.performance.memoryUsage.%'")).toEqual([{ reported: 0 }])
    const map = query<J>(db, "SELECT value FROM metric_samples WHERE name = 'claude_flow.daemon.worker.avg_duration' AND json_extract(labels, '$.worker') = 'map'")
    expect(map).toEqual([{ value: daemon.workers.map.averageDurationMs }])
    // The hive token is a secret and never leaves the file.
    expect(query<J>(db, 'SELECT attrs FROM spans UNION ALL SELECT attrs FROM agents UNION ALL SELECT attrs FROM events').some((r) => r.attrs.includes(hive.hiveToken))).toBe(false)
  })

  it.each([
    ['ruflo-powers', RUFLO],
    ['jsonformatter', JSONF],
  ])('imports the %s daemon state with one span per worker run', async (_name, dir) => {
    const workers = Object.values(json(`${dir}/.claude-flow/daemon-state.json`).workers) as J[]
    const { db, run } = await importProject(dir)
    expect(query<J>(db, "SELECT COUNT(*) n FROM spans WHERE id LIKE 'daemon:%'")[0].n).toBe(workers.filter((w) => w.lastStartedAt).length)
    expect(query<J>(db, "SELECT COUNT(*) n FROM metric_samples WHERE name LIKE 'claude_flow.daemon.%'")[0].n).toBe(workers.length * 4)
    expect(run.agents).toBe(1)
    expect(query<J>(db, "SELECT path FROM imported_files WHERE path LIKE '%daemon-children.json'")).toEqual([])
  })
})

describe('claude-flow import safety', () => {
  it('never modifies the fixture files, cleans up its scratch copies, and is idempotent', async () => {
    const files = allFiles(CF)
    const before = new Map(files.map((f) => [f, sha256(f)]))
    // A temp folder of its own (other test files' imports use the shared one meanwhile), watched:
    // the copies are made there, and none is left.
    const tmp = tempDir()
    const db = tempDb()
    const made: string[] = []
    const watcher = watch(tmp, (_event, name) => void (name && made.push(name)))
    const savedTmp = process.env.TMPDIR
    process.env.TMPDIR = tmp
    let first
    let counts
    try {
      const core = createCore({ path: db })
      first = await importOk(core, [CF])
      counts = tableCounts(db)
      await importOk(core, [CF])
      expect(tableCounts(db)).toEqual(counts)
      core.close()
      await new Promise((resolve) => setTimeout(resolve, 100))
    } finally {
      watcher.close()
      if (savedTmp === undefined) delete process.env.TMPDIR
      else process.env.TMPDIR = savedTmp
    }
    expect(made.some((n) => n.startsWith('swarmscope-cf-'))).toBe(true)
    expect(readdirSync(tmp)).toEqual([])
    expect(claudeFlowSkips(first.skipped)).toEqual([])
    expect(first.runs).toHaveLength(6)
    expect(new Map(allFiles(CF).map((f) => [f, sha256(f)]))).toEqual(before)

    // Re-reading every file (new mtimes) converges on the same rows: ids are deterministic.
    const copy = copyOf(CF)
    const db2 = tempDb()
    const core2 = createCore({ path: db2 })
    await importOk(core2, [copy])
    const once = tableCounts(db2)
    for (const f of allFiles(copy)) utimesSync(f, new Date(), new Date(Date.now() + 5000))
    await importOk(core2, [copy])
    core2.close()
    expect(tableCounts(db2)).toEqual(once)
    expect(once).toEqual(counts)
  })

  it('picks up rows claude-flow adds to the -wal while the main file stays untouched', async () => {
    const project = copyOf(V27)
    const hiveDb = `${project}/.hive-mind/hive.db`
    const db = tempDb()
    const core = createCore({ path: db })
    await importOk(core, [project])
    const main = statSync(hiveDb)
    // A live writer: its commits go to the WAL and nothing is checkpointed while it stays open.
    const writer = new Database(hiveDb)
    writer.pragma('wal_autocheckpoint = 0')
    writer.prepare("INSERT INTO session_logs (session_id, timestamp, log_level, message) SELECT id, '2026-01-21 01:00:00', 'error', 'worker crashed' FROM sessions LIMIT 1").run()
    const newId = (writer.prepare('SELECT MAX(id) AS id FROM session_logs').get() as { id: number }).id
    expect(statSync(hiveDb).size).toBe(main.size)
    const second = await importOk(core, [project])
    writer.close()
    core.close()
    expect(second.skipped).toEqual([])
    expect(query<J>(db, 'SELECT name, severity FROM events WHERE id = ?', `log:${newId}`)).toEqual([{ name: 'worker crashed', severity: 'error' }])
  })

  it('reports bad files and items with a reason, imports the rest, and ignores JSON it does not know', async () => {
    const root = tempDir()
    mkdirSync(`${root}/.claude-flow/metrics`, { recursive: true })
    mkdirSync(`${root}/.claude-flow/tasks`, { recursive: true })
    mkdirSync(`${root}/.swarm`, { recursive: true })
    writeFileSync(`${root}/.claude-flow/metrics/task-metrics.json`, JSON.stringify([{ id: 'cmd-a', type: 'init', success: false, duration: 5, timestamp: 1755645480369 }, 42]))
    writeFileSync(`${root}/.claude-flow/daemon-state.json`, '{"workers": {"map": {"runCount": 1,')
    writeFileSync(`${root}/.claude-flow/tasks/store.json`, JSON.stringify({ tasks: 'not a map' }))
    writeFileSync(`${root}/.claude-flow/config.json`, JSON.stringify({ anything: 1 }))
    writeFileSync(`${root}/.claude-flow/metrics/notes.json`, JSON.stringify([1, 2, 3]))
    writeFileSync(`${root}/.swarm/memory.db`, Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(200, 7)]))
    const db = tempDb()
    const core = createCore({ path: db })
    const result = await importOk(core, [root])
    core.close()
    const reasons = result.skipped.map((s) => [relative(root, s.file), s.line, s.reason])
    expect(reasons).toEqual([
      ['.claude-flow/daemon-state.json', 1, expect.stringContaining('not valid JSON')],
      ['.claude-flow/metrics/task-metrics.json', 1, expect.stringContaining('task-metrics.json[1]')],
      ['.claude-flow/tasks/store.json', 1, expect.stringContaining('no "tasks" object')],
      ['.swarm/memory.db', null, expect.stringContaining('cannot read SQLite database')],
    ])
    expect(result.runs).toHaveLength(1)
    expect(query<J>(db, 'SELECT id, status FROM spans')).toEqual([{ id: 'task:cmd-a', status: 'error' }])
    expect(query<J>(db, 'SELECT path FROM imported_files').map((r) => relative(root, r.path)).sort()).not.toContain('.claude-flow/config.json')
    expect(existsSync(`${root}/.swarm/memory.db-shm`)).toBe(false)
  })
})
