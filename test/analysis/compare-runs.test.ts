import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compareRuns } from '../../src/core/analysis/compare'
import { analyzeRun } from '../../src/core/analysis/run-analysis'
import { openStore, type Store } from '../../src/core/store/open'
import { RunAnalysis, RunComparison } from '../../src/shared/analysis-dto'
import { writeRun } from './synthetic'

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`)
const metric = (c: RunComparison, m: string) => c.metrics.find((x) => x.metric === m)!
// Ten runs a side: with these generators a 20% shift was found in 20 of 20 seed sets tried, and
// two draws of one distribution raised no verdict in 20 of 20 (any metric, after Holm).
const N = 10

describe('compareRuns on generated groups', () => {
  let dir: string
  let store: Store
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'swarmscope-compare-'))
    store = openStore({ path: join(dir, 'store.db') })
    // Three groups: a baseline, a second draw from the same distribution, and one with Sonnet calls 20% slower.
    ids('base', N).forEach((id, i) => writeRun(store.write, { id, group: 'base', seed: 100 + i }))
    ids('same', N).forEach((id, i) => writeRun(store.write, { id, group: 'same', seed: 200 + i }))
    ids('slow', N).forEach((id, i) => writeRun(store.write, { id, group: 'slow', seed: 300 + i, sonnetLatencyFactor: 1.2 }))
  })
  afterAll(() => {
    store?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('reports the planted 20% LLM latency regression as significant, and points at the Sonnet model', () => {
    const c = RunComparison.parse(compareRuns(store.read, ids('base', N).map((id) => [id]), ids('slow', N).map((id) => [id])))
    expect(c.mode).toBe('runs')
    const lat = metric(c, 'llm_latency_ms')
    expect(lat.verdict).toBe('regressed')
    expect(lat.pValue as number).toBeLessThan(0.05)
    expect(lat.pValue as number).toBeGreaterThanOrEqual(lat.rawPValue as number) // Holm never lowers p
    expect(lat.medianChangePct as number).toBeGreaterThan(10)
    expect(lat.medianChangePct as number).toBeLessThan(30)
    expect(metric(c, 'wall_time_ms').verdict).toBe('regressed')
    expect(metric(c, 'throughput_tokens_per_s').verdict).toBe('regressed')
    // Tokens and cost were drawn from the same distributions.
    expect(metric(c, 'tokens_per_llm_call').verdict).toBe('no-significant-change')
    expect(metric(c, 'cost_per_run_usd').verdict).toBe('no-significant-change')
    const topModel = c.breakdown.byTime.find((r) => r.dimension === 'model')!
    expect(topModel.key).toBe('claude-sonnet-4-5')
    expect(topModel.deltaTimeMs).toBeGreaterThan(0)
    const rec = c.recommendations.find((r) => r.metric === 'llm_latency_ms')!
    expect(rec.evidence.driverKey).toBe('claude-sonnet-4-5')
    expect(rec.message).toMatch(/LLM latency regressed \+\d/)
    expect(c.ranking.preferred).toBe('baseline')
    expect(c.ranking.criteria.find((x) => x.criterion === 'latency')!.contribution).toBeLessThan(0)
  })

  it('finds no significant change between two groups drawn from one distribution', () => {
    const c = RunComparison.parse(compareRuns(store.read, ids('base', N).map((id) => [id]), ids('same', N).map((id) => [id])))
    for (const m of c.metrics) expect(m.verdict, `${m.metric}: ${m.reason}`).toBe('no-significant-change')
    expect(c.ranking.score).toBe(0)
    expect(c.ranking.preferred).toBe('tie')
    expect(c.recommendations.filter((r) => r.severity !== 'info')).toEqual([])
  })

  it('compares two single runs span by span and flags the regression there too', () => {
    const c = RunComparison.parse(compareRuns(store.read, [['base-0']], [['slow-0']]))
    expect(c.mode).toBe('spans')
    expect(metric(c, 'llm_latency_ms').baseline.n).toBe(36)
    expect(metric(c, 'cost_per_llm_call_usd')).toBeDefined()
    expect(c.metrics.find((m) => m.metric === 'wall_time_ms')).toBeUndefined()
    const same = compareRuns(store.read, [['base-0']], [['same-0']])
    expect(metric(same, 'tokens_per_llm_call').verdict).toBe('no-significant-change')
  })

  it('says insufficient data for groups below the minimum size, and honours the option', () => {
    const small = compareRuns(store.read, [['base-0'], ['base-1']], [['slow-0'], ['slow-1']])
    expect(small.metrics.every((m) => m.verdict === 'insufficient-data')).toBe(true)
    expect(small.recommendations.some((r) => /at least 5 per side/.test(r.message))).toBe(true)
    const lowered = compareRuns(store.read, ids('base', 4).map((id) => [id]), ids('slow', 4).map((id) => [id]), { minSamples: 3 })
    expect(metric(lowered, 'llm_latency_ms').verdict).not.toBe('insufficient-data')
  })

  it('treats several stored runs in one inner list as one logical run', () => {
    const c = compareRuns(store.read, [['base-0', 'base-1']], [['same-0', 'same-1']])
    expect(c.mode).toBe('spans')
    expect(c.baseline).toEqual({ units: [['base-0', 'base-1']], runs: 2 })
    expect(metric(c, 'llm_latency_ms').baseline.n).toBe(72)
  })

  it('analyzeRun on a synthetic run: anomalies are empty for lognormal noise, insights computed, DTO valid', () => {
    const r = RunAnalysis.parse(analyzeRun(store.read, 'base-0'))
    expect(r.llm.latencyMs.summary.count).toBe(36)
    expect(r.cache.hitRatio).toBeCloseTo(2 / 3, 2)
    expect(r.cache.savedUsd).toBeGreaterThan(0)
    const researcher = r.attribution.byAgent.find((a) => a.type === 'researcher')!
    expect(researcher.own.llmCalls).toBe(6)
    expect(r.attribution.byAgent.find((a) => a.agentId === 'main')!.rolledUp.llmCalls).toBe(36)
    expect(r.insights.length).toBeGreaterThan(2)
  })
})
