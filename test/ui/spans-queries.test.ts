import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../src/core'
import { generateSwarm, percentile } from '../helpers/generated-swarm'
import { tempDir } from '../helpers/temp'

// The UI's views of a run (spans.window, spans.series, spans.breakdown, spans.get) against
// the facts the generator computed while writing the file.

const swarm = generateSwarm({ runId: 'q-run', seed: 21, subagents: 3, callsPerAgent: 40, errorEvery: 7 })
const f = swarm.facts

async function core(): Promise<Core> {
  const dir = tempDir()
  const file = join(dir, 'run.ndjson')
  writeFileSync(file, swarm.ndjson)
  const c = createCore({ path: join(dir, 'db.sqlite') })
  const res = await c.call('import.paths', { paths: [file] })
  if (!res.ok) throw new Error(res.error.message)
  return c
}

const data = <T,>(r: { ok: true; data: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message)
  return r.data
}

describe('spans routes', () => {
  it('a window accounts for every span, one by one or in per-pixel buckets', async () => {
    const c = await core()
    const all = f.llmCalls + f.toolCalls + f.agents
    const w = data(await c.call('spans.window', { id: 'q-run', width: 800 }))
    expect(w.total).toBe(all)
    expect(w.shown + w.buckets.count.reduce((a, b) => a + b, 0)).toBe(all)
    // Every span drawn alone is at least two pixels wide.
    w.spans.start.forEach((s, i) => expect(w.spans.end[i] - s).toBeGreaterThanOrEqual(2 * w.msPerPx))
    expect(w.agents.map((a) => a.id)).toEqual(['main', 'sub1', 'sub2', 'sub3'])
    expect(w.agents[1]).toMatchObject({ parentAgentId: 'main', depth: 1 })
    // A cap moves the rest into buckets without losing any.
    const capped = data(await c.call('spans.window', { id: 'q-run', width: 8000, minPx: 0.5, cap: 100 }))
    expect(capped.capped).toBe(true)
    expect(capped.shown).toBeLessThanOrEqual(100)
    expect(capped.shown).toBeGreaterThan(50)
    expect(capped.shown + capped.buckets.count.reduce((a, b) => a + b, 0)).toBe(all)
    // Depth 0: agents only.
    expect(data(await c.call('spans.window', { id: 'q-run', width: 800, depth: 0 })).total).toBe(f.agents)
    c.close()
  })

  it('a zoomed window holds only the spans overlapping it', async () => {
    const c = await core()
    const from = f.startMs + 60_000
    const to = from + 30_000
    const spans = swarm.ndjson.split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((r) => r.type === 'span')
    const expected = spans.filter((s) => s.start <= to && s.end >= from).length
    expect(data(await c.call('spans.window', { id: 'q-run', width: 1000, fromMs: from, toMs: to })).total).toBe(expected)
    c.close()
  })

  it('per-pixel series keep every call: sums, counts, extremes', async () => {
    const c = await core()
    const s = data(await c.call('spans.series', { id: 'q-run', metric: 'latency', width: 50 }))
    expect(s.count.reduce((a, b) => a + b, 0)).toBe(f.llmCalls)
    expect(s.sum.reduce((a, b) => a + b, 0)).toBe(f.llmLatencies.reduce((a, b) => a + b, 0))
    expect(Math.max(...s.max)).toBe(Math.max(...f.llmLatencies))
    expect(Math.min(...s.min)).toBe(Math.min(...f.llmLatencies))
    // first/last are values of real calls in their bucket, between its min and max.
    s.t.forEach((_, i) => {
      expect(s.first[i]).toBeGreaterThanOrEqual(s.min[i])
      expect(s.last[i]).toBeLessThanOrEqual(s.max[i])
    })
    const cost = data(await c.call('spans.series', { id: 'q-run', metric: 'cost', width: 200 }))
    expect(cost.sum.reduce((a, b) => a + b, 0)).toBeCloseTo(f.costUsd, 6)
    const tokens = data(await c.call('spans.series', { id: 'q-run', metric: 'tokens', width: 200 }))
    expect(tokens.sum.reduce((a, b) => a + b, 0)).toBe(f.inputTokens + f.outputTokens + f.cacheCreationTokens + f.cacheReadTokens)
    c.close()
  })

  it('the dashboard breakdown matches per agent, tool and model; percentiles are type 7', async () => {
    const c = await core()
    const b = data(await c.call('spans.breakdown', { id: 'q-run' }))
    for (const [tool, t] of Object.entries(f.perTool)) expect(b.byTool.find((x) => x.tool === tool)).toMatchObject({ count: t.count, errors: t.errors })
    for (const [agent, a] of Object.entries(f.perAgent)) {
      const row = b.byAgent.find((x) => x.agentId === agent)!
      expect(row).toMatchObject({ llmCalls: a.llmCalls, toolCalls: a.toolCalls })
      expect(row.costUsd).toBeCloseTo(a.costUsd, 6)
    }
    for (const [model, m] of Object.entries(f.perModel)) expect(b.byModel.find((x) => x.model === model)?.llmCalls).toBe(m.llmCalls)
    for (const p of [0.5, 0.9, 0.95, 0.99] as const) expect(b.llmLatency[`p${Math.round(p * 100)}` as 'p50']).toBeCloseTo(percentile(f.llmLatencies, p), 9)
    expect(b.llmLatency.counts.reduce((a, x) => a + x, 0)).toBe(f.llmCalls)
    expect(b.cache.hitRatio).toBeCloseTo(f.cacheReadTokens / (f.inputTokens + f.cacheCreationTokens + f.cacheReadTokens), 12)
    expect(b.scatter.count.reduce((a, x) => a + x, 0)).toBe(f.llmCalls)
    // Busy time in the heatmap: each LLM call's and each non-delegating tool call's time, once.
    const spans = swarm.ndjson.split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((r) => r.type === 'span' && (r.kind === 'llm' || (r.kind === 'tool' && r.name !== 'Task')))
    const busy = spans.reduce((t, s) => t + (s.end - s.start), 0)
    expect(b.activity.cells.reduce((t, x) => t + x[2], 0)).toBeCloseTo(busy, -2)
    // With fewer points allowed, the scatter merges calls per cell and still counts them all.
    const merged = data(await c.call('spans.breakdown', { id: 'q-run', maxPoints: 100 }))
    expect(merged.scatter.merged).toBe(true)
    expect(merged.scatter.count.reduce((a, x) => a + x, 0)).toBe(f.llmCalls)
    c.close()
  })

  it('one span in detail, and a clear error for an unknown one', async () => {
    const c = await core()
    const line = swarm.ndjson.split('\n').map((l) => (l ? JSON.parse(l) : null)).find((r) => r?.type === 'span' && r.kind === 'tool')
    const d = data(await c.call('spans.get', { id: 'q-run', spanId: line.id }))
    expect(d).toMatchObject({ kind: 'tool', name: line.name, durationMs: line.end - line.start, inputBytes: line.attrs.inputBytes, agentName: 'main' })
    const missing = await c.call('spans.get', { id: 'q-run', spanId: 'nope' })
    expect(missing.ok ? null : missing.error.code).toBe('not_found')
    c.close()
  })
})
