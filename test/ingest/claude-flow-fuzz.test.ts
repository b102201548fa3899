import { readFileSync } from 'node:fs'
import Database from 'better-sqlite3'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { importHiveDb } from '../../src/core/ingest/claude-flow/hive-db'
import { importMemoryDb } from '../../src/core/ingest/claude-flow/memory-db'
import { metricsSeries, metricsSnapshot, v2AgentMetrics, v2TaskMetrics } from '../../src/core/ingest/claude-flow/metrics-json'
import { decodeValue, toMs, type JsonHandler } from '../../src/core/ingest/claude-flow/project'
import { hiveState, routingOutcomes } from '../../src/core/ingest/claude-flow/v3-hive'
import { agentStore, daemonState, dotSwarmState, swarmState, taskStore } from '../../src/core/ingest/claude-flow/v3-json'
import { LineError } from '../../src/core/ingest/records'
import { FIXTURES, checkingSink } from './ingest-helpers'

// Feeds the claude-flow readers arbitrary and mutated input: the only exception allowed out
// is LineError (reported as a skipped file or item), and every record written must be valid.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any
const json = (p: string): J => JSON.parse(readFileSync(p, 'utf8'))
const V343 = `${FIXTURES}claude-flow/v3.43_local-cli-run`

describe('claude-flow parsers under fuzzing', () => {
  const handlers: [string, JsonHandler][] = [
    ['task-metrics', v2TaskMetrics], ['agent-metrics', v2AgentMetrics], ['performance', metricsSnapshot], ['system', metricsSeries('system')],
    ['daemon-state', daemonState], ['swarm-state', swarmState], ['state', dotSwarmState], ['agents', agentStore], ['tasks', taskStore],
    ['hive-mind-state', hiveState], ['routing-outcomes', routingOutcomes],
  ]
  /** Runs a handler on a value: only LineError may escape, no span may end before it starts, every skip says why. */
  const run = (handler: JsonHandler, stem: string, value: unknown) => {
    const { sink, records } = checkingSink()
    const span = sink.span.bind(sink)
    sink.span = (s) => {
      if (s.startMs != null && s.endMs != null && s.endMs < s.startMs) throw new Error(`span ${s.id} ends before it starts`)
      span(s)
    }
    let skips = 0
    const skip = (reason: string) => {
      if (typeof reason !== 'string' || reason.length < 10) throw new Error(`skip without a reason: ${String(reason)}`)
      skips++
    }
    try {
      handler({ sink, runId: 'cf-test', stem, fileMs: 1_700_000_000_000, skip }, value)
    } catch (e) {
      if (!(e instanceof LineError)) throw e
      skips++
    }
    return { records, skips }
  }

  it.each(handlers)('%s: arbitrary JSON never crashes with anything but LineError', (stem, handler) => {
    fc.assert(fc.property(fc.jsonValue(), (v) => void run(handler, stem, v)), { numRuns: 1000 })
  })

  it('mutated real files never crash the v3 handlers', () => {
    const c = `${V343}/.claude-flow`
    const files: [JsonHandler, string, J][] = [
      [daemonState, 'daemon-state', json(`${c}/daemon-state.json`)], [hiveState, 'hive-mind-state', json(`${c}/hive-mind/state.json`)],
      [agentStore, 'agents', json(`${c}/agents/store.json`)], [taskStore, 'tasks', json(`${c}/tasks/store.json`)],
      [swarmState, 'swarm-state', json(`${c}/swarm/swarm-state.json`)], [routingOutcomes, 'routing-outcomes', json(`${c}/routing-outcomes.json`)],
      [metricsSeries('perf'), 'perf', json(`${c}/performance/metrics.json`)], [metricsSnapshot, 'performance', json(`${c}/metrics/performance.json`)],
    ]
    const paths = (v: J, prefix: string[] = []): string[][] =>
      v && typeof v === 'object' ? [prefix, ...Object.keys(v).flatMap((k) => paths(v[k], [...prefix, k]))] : [prefix]
    fc.assert(
      fc.property(fc.nat(files.length - 1), fc.nat(), fc.jsonValue(), (f, pick, replacement) => {
        const [handler, stem, original] = files[f]
        const all = paths(original)
        const path = all[pick % all.length]
        const doc = structuredClone(original)
        if (path.length === 0) return void run(handler, stem, replacement)
        let target = doc
        for (const k of path.slice(0, -1)) target = target[k]
        target[path[path.length - 1]] = replacement
        run(handler, stem, doc)
      }),
      { numRuns: 1000 },
    )
  })

  it('every task-metrics entry and routing outcome becomes one record or one skip, never none or both', () => {
    // Each field is of its right type half of the time, else anything JSON.
    const field = <T>(good: fc.Arbitrary<T>) => fc.oneof(good, fc.jsonValue(), fc.constant(undefined))
    const time = fc.oneof(fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }), fc.constant('2026-11-24T00:16:06.806Z'))
    const task = fc.record({ id: field(fc.string({ minLength: 1 })), success: field(fc.boolean()), duration: field(fc.double({ min: -10, max: 1e6, noNaN: true })), timestamp: field(time), type: field(fc.string()) })
    const outcome = fc.record({ agent: field(fc.string()), success: field(fc.boolean()), quality: field(fc.double({ min: 0, max: 1, noNaN: true })), timestamp: field(time), task: field(fc.string()) })
    fc.assert(
      fc.property(fc.array(fc.oneof(task, fc.jsonValue()), { maxLength: 8 }), fc.array(outcome, { maxLength: 8 }), (tasks, outcomes) => {
        const t = run(v2TaskMetrics, 'task-metrics', JSON.parse(JSON.stringify(tasks)))
        // Task ids may repeat: a span written twice is still one entry read.
        expect(t.records.spans + t.skips).toBe(tasks.length)
        const o = run(routingOutcomes, 'routing-outcomes', JSON.parse(JSON.stringify({ outcomes })))
        expect(o.records.events + o.skips).toBe(outcomes.length)
      }),
      { numRuns: 1000 },
    )
  })

  it('memory.db and hive.db rows with arbitrary values never crash the SQLite readers', () => {
    const db = new Database(':memory:')
    db.exec(`CREATE TABLE memory_entries (key TEXT, value TEXT, namespace TEXT, metadata TEXT, created_at INTEGER, updated_at INTEGER);
      CREATE TABLE swarms (id TEXT, name TEXT, objective TEXT, queen_type TEXT, status TEXT, created_at TEXT, updated_at TEXT);
      CREATE TABLE agents (id TEXT, swarm_id TEXT, name TEXT, type TEXT, role TEXT, status TEXT, capabilities TEXT, created_at TEXT);
      CREATE TABLE session_logs (id INTEGER, session_id TEXT, timestamp TEXT, log_level TEXT, message TEXT, agent_id TEXT, data TEXT)`)
    const namespaces = ['hooks:pre-task', 'hooks:post-task', 'task-index', 'tasks', 'hooks:agent-spawned', 'agent-roster', 'agents', 'swarms', 'sessions', 'session-states', 'session-metrics', 'performance', 'other']
    const text = fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), fc.string(), fc.constant(null), fc.string().map((x) => `__compressed__${Buffer.from(x).toString('base64')}`))
    const time = fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.constant('2026-01-21 00:29:00'))
    fc.assert(
      fc.property(fc.constantFrom(...namespaces), fc.string(), text, text, time, text, text, time, (ns, key, value, meta, t, caps, data, t2) => {
        db.exec('DELETE FROM memory_entries; DELETE FROM swarms; DELETE FROM agents; DELETE FROM session_logs')
        db.prepare('INSERT INTO memory_entries VALUES (?, ?, ?, ?, ?, ?)').run(key, value, ns, meta, typeof t === 'number' ? t : null, null)
        db.prepare('INSERT INTO swarms VALUES (?, ?, ?, ?, ?, ?, ?)').run(key, value, data, null, value, t2, t2)
        db.prepare('INSERT INTO agents VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(key, key, value, value, 'queen', value, caps, t2)
        db.prepare('INSERT INTO session_logs VALUES (1, ?, ?, ?, ?, ?, ?)').run(key, t2, value, value, key, data)
        const { sink } = checkingSink()
        const tables = new Set(['memory_entries', 'swarms', 'agents', 'session_logs'])
        importMemoryDb(db, tables, sink, 'cf-test', () => {})
        importHiveDb(db, tables, sink, 'cf-test', () => {})
      }),
      { numRuns: 1000 },
    )
    db.close()
  })

  it('time and value decoding accept any input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.double(), fc.jsonValue(), fc.string().map((s) => `__compressed__${Buffer.from(s).toString('base64')}`)), (v) => {
        const t = toMs(v)
        expect(t === null || Number.isFinite(t)).toBe(true)
        decodeValue(v)
      }),
      { numRuns: 1000 },
    )
  })
})
