import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import Database from 'better-sqlite3'
import { createCore } from '../../src/core'
import type { RecordSink } from '../../src/core/ingest/records'

export const FIXTURES = new URL('../../../shared/fixtures/real/', import.meta.url).pathname
export const LOCAL_FIXTURES = new URL('./fixtures/', import.meta.url).pathname

export type Core = ReturnType<typeof createCore>

export async function importOk(core: Core, paths: string[]) {
  const r = await core.call('import.paths', { paths })
  if (!r.ok) throw new Error(r.error.message)
  return r.data
}

export const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')

/** Row counts per table (for one run, or all), read with plain SQL from the store file. */
export function tableCounts(dbPath: string, runId?: string) {
  const db = new Database(dbPath, { readonly: true })
  try {
    const where = runId ? 'WHERE run_id = ?' : ''
    const n = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table} ${where}`).get(...(runId ? [runId] : [])) as { n: number }).n
    const runs = (db.prepare(`SELECT COUNT(*) AS n FROM runs ${runId ? 'WHERE id = ?' : ''}`).get(...(runId ? [runId] : [])) as { n: number }).n
    return { runs, agents: n('agents'), spans: n('spans'), events: n('events'), metrics: n('metric_samples') }
  } finally {
    db.close()
  }
}

export function query<T = Record<string, unknown>>(dbPath: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbPath, { readonly: true })
  try {
    return db.prepare(sql).all(...params) as T[]
  } finally {
    db.close()
  }
}

/** A sink that keeps what it is given and checks the invariants the store relies on. */
export function checkingSink() {
  const records = { runs: 0, agents: 0, spans: 0, events: 0, metrics: 0 }
  const finite = (v: unknown, what: string) => {
    if (v != null && (typeof v !== 'number' || !Number.isFinite(v))) throw new Error(`${what} is not a finite number: ${String(v)}`)
  }
  const sink: RecordSink = {
    run: (r) => {
      if (!r.id) throw new Error('run without id')
      records.runs++
    },
    agent: (a) => {
      if (!a.id || !a.runId) throw new Error('agent without id')
      records.agents++
    },
    span: (s) => {
      if (!s.id || !s.runId || !['agent', 'llm', 'tool', 'task', 'other'].includes(s.kind)) throw new Error(`bad span ${JSON.stringify(s)}`)
      for (const k of ['startMs', 'endMs', 'inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheCreationTokens', 'costUsd', 'reportedCostUsd'] as const) finite(s[k], k)
      records.spans++
    },
    endSpan: () => true,
    moveAgent: (m) => {
      if (!m.runId || !m.from || !m.to || m.from === m.to) throw new Error(`bad agent move ${JSON.stringify(m)}`)
    },
    event: (e) => {
      if (!e.id || !e.runId) throw new Error('event without id')
      finite(e.ts, 'event ts')
      records.events++
    },
    metric: (m) => {
      finite(m.ts, 'metric ts')
      finite(m.value, 'metric value')
      if (m.value == null || m.ts == null) throw new Error('metric without value or ts')
      records.metrics++
    },
  }
  return { sink, records }
}
