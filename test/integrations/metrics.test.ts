import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import parsePrometheusTextFormat, { type PromFamily } from 'parse-prometheus-text-format'
import { afterEach, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../src/core'
import { startHost, type Host } from '../../src/server/host'
import { routeNames } from '../../src/shared/contract'
import type { RunSummary } from '../../src/shared/dto'
import { tempDir } from '../helpers/temp'
import { writeSwarms } from './swarm-fixture'

// /metrics read by a real Prometheus text-format parser, its numbers checked against the routes.

const TOKEN = 'metrics-test-token'
let core: Core
let host: Host
afterEach(async () => {
  await host?.close()
  core?.close()
})

async function scrape(port: number): Promise<Map<string, PromFamily>> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
  return new Map(parsePrometheusTextFormat(await res.text()).map((f) => [f.name, f]))
}
const value = (f: PromFamily | undefined, labels: Record<string, string> = {}) =>
  Number(f?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value)

describe('Prometheus /metrics', () => {
  it('exposes stored totals, per-run and per-agent counters for the N most recent runs only, and collector state', async () => {
    const dir = tempDir()
    const runs = join(dir, 'runs')
    mkdirSync(runs)
    writeSwarms(runs, [
      { runId: 'oldest', seed: 1, startMs: Date.UTC(2026, 0, 1) },
      { runId: 'older', seed: 2, startMs: Date.UTC(2026, 0, 2) },
      { runId: 'recent', seed: 3, startMs: Date.UTC(2026, 0, 3), errorEvery: 4 },
      // 25 agents: more than the 20 per run that get their own label.
      { runId: 'newest', seed: 4, startMs: Date.UTC(2026, 0, 4), subagents: 24, callsPerAgent: 2 },
    ])
    core = createCore({ path: join(dir, 'm.db') })
    expect((await core.call('import.paths', { paths: [runs] })).ok).toBe(true)
    expect((await core.call('config.set', { values: { 'metrics.recentRuns': 2 } })).ok).toBe(true)
    host = await startHost({ core, token: TOKEN, port: 0 })

    const families = await scrape(host.port)
    const list = await core.call('runs.list', {})
    if (!list.ok) throw new Error(list.error.message)
    const all: RunSummary[] = list.data
    expect(value(families.get('swarmscope_runs'))).toBe(4)
    expect(families.get('swarmscope_tokens_total')?.type).toBe('COUNTER')
    expect(value(families.get('swarmscope_tokens_total'), { type: 'output' })).toBe(all.reduce((n, r) => n + r.outputTokens, 0))
    expect(value(families.get('swarmscope_tokens_total'), { type: 'cache_read' })).toBe(all.reduce((n, r) => n + r.cacheReadTokens, 0))
    expect(value(families.get('swarmscope_cost_usd_total'))).toBeCloseTo(all.reduce((n, r) => n + r.costUsd, 0), 9)

    // Bounded cardinality: only the two most recent runs have series.
    const runCost = families.get('swarmscope_run_cost_usd_total')!
    expect(runCost.metrics.map((m) => m.labels?.run).sort()).toEqual(['newest', 'recent'])
    for (const id of ['newest', 'recent']) {
      const r = all.find((x) => x.id === id)!
      expect(value(runCost, { run: id })).toBeCloseTo(r.costUsd, 12)
      expect(value(families.get('swarmscope_run_tokens_total'), { run: id, type: 'input' })).toBe(r.inputTokens)
      expect(value(families.get('swarmscope_run_calls_total'), { run: id, kind: 'llm' })).toBe(r.llmCalls)
      expect(value(families.get('swarmscope_run_errors_total'), { run: id })).toBe(r.errors)
    }
    const agentCost = families.get('swarmscope_agent_cost_usd_total')!
    const newestAgents = agentCost.metrics.filter((m) => m.labels?.run === 'newest')
    expect(newestAgents).toHaveLength(21) // 20 busiest + _other
    expect(newestAgents.map((m) => m.labels?.agent)).toContain('_other')
    expect(newestAgents.reduce((n, m) => n + Number(m.value), 0)).toBeCloseTo(all.find((x) => x.id === 'newest')!.costUsd, 12)
    expect(agentCost.metrics.every((m) => ['newest', 'recent'].includes(m.labels!.run))).toBe(true)

    expect(families.has('swarmscope_process_cpu_user_seconds_total')).toBe(true)
    if ((routeNames as string[]).includes('live.health')) {
      const health = await core.call('live.health' as never, {} as never)
      expect(health.ok).toBe(true)
      const h = (health as { data: { writer: { queueDepth: number; queueCapacity: number }; sources: { id: string; received: number }[] } }).data
      expect(value(families.get('swarmscope_collector_queue_capacity'), { queue: 'writer' })).toBe(h.writer.queueCapacity)
      for (const s of h.sources) expect(value(families.get('swarmscope_collector_received_total'), { source: s.id })).toBe(s.received)
    }

    // Deleting a run drops its series at the next scrape (counters reset, as for a restart).
    expect((await core.call('runs.delete', { id: 'newest' })).ok).toBe(true)
    const after = await scrape(host.port)
    expect(value(after.get('swarmscope_runs'))).toBe(3)
    expect(after.get('swarmscope_run_cost_usd_total')!.metrics.map((m) => m.labels?.run).sort()).toEqual(['older', 'recent'])

    // recentRuns 0: no per-run or per-agent series at all, the stored totals still there.
    expect((await core.call('config.set', { values: { 'metrics.recentRuns': 0 } })).ok).toBe(true)
    const none = await scrape(host.port)
    expect(none.get('swarmscope_run_cost_usd_total')?.metrics ?? []).toHaveLength(0)
    expect(none.get('swarmscope_agent_cost_usd_total')?.metrics ?? []).toHaveLength(0)
    expect(value(none.get('swarmscope_runs'))).toBe(3)
    const kept = all.filter((r) => r.id !== 'newest')
    expect(value(none.get('swarmscope_tokens_total'), { type: 'input' })).toBe(kept.reduce((n, r) => n + r.inputTokens, 0))
  })

  it('needs the token', async () => {
    core = createCore({ path: join(tempDir(), 'm.db') })
    host = await startHost({ core, token: TOKEN, port: 0 })
    expect((await fetch(`http://127.0.0.1:${host.port}/metrics`)).status).toBe(401)
    expect((await fetch(`http://127.0.0.1:${host.port}/metrics?token=${TOKEN}`)).status).toBe(200)
  })
})
