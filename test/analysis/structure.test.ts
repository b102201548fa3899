import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { agentActivity, analyzeStructure, criticalPath, type StructSpan } from '../../src/core/analysis/structure'
import { RunStructure } from '../../src/shared/analysis-dto'

type K = StructSpan['kind']
const sp = (id: string, parentId: string | null, agentId: string | null, kind: K, startMs: number | null, endMs: number | null): StructSpan => ({ id, parentId, agentId, kind, startMs, endMs })
const path = (spans: StructSpan[]) => criticalPath(spans).segments.map((s) => `${s.spanId ?? 'gap'}@${s.startMs}-${s.endMs}`)

function expectTiling(spans: StructSpan[]) {
  const segs = criticalPath(spans).segments
  const ok = spans.filter((s) => s.startMs !== null && s.endMs !== null && s.endMs >= s.startMs)
  if (ok.length === 0) return expect(segs).toEqual([])
  const lo = Math.min(...ok.map((s) => s.startMs as number))
  const hi = Math.max(...ok.map((s) => s.endMs as number))
  if (hi === lo) return
  expect(segs[0].startMs).toBe(lo)
  expect(segs[segs.length - 1].endMs).toBe(hi)
  for (let i = 1; i < segs.length; i++) expect(segs[i].startMs).toBe(segs[i - 1].endMs)
  for (const s of segs) expect(s.endMs).toBeGreaterThan(s.startMs)
}

describe('critical path', () => {
  it('sequential chain: every step is on the path (a tool outside its LLM parent is re-homed to the agent)', () => {
    const spans = [
      sp('agent:a', null, 'a', 'agent', 0, 100),
      sp('llm1', 'agent:a', 'a', 'llm', 0, 30),
      sp('tool1', 'llm1', 'a', 'tool', 30, 50),
      sp('llm2', 'agent:a', 'a', 'llm', 50, 100),
    ]
    expect(path(spans)).toEqual(['llm1@0-30', 'tool1@30-50', 'llm2@50-100'])
    expect(criticalPath(spans).spanIds).toEqual(['llm1', 'tool1', 'llm2'])
    expectTiling(spans)
  })

  it('fan-out / fan-in: the slow branch is on the path, the fast ones are not', () => {
    const spans = [
      sp('agent:o', null, 'o', 'agent', 0, 100),
      sp('plan', 'agent:o', 'o', 'llm', 0, 10),
      sp('t-fast', 'plan', 'o', 'tool', 10, 30),
      sp('t-slow', 'plan', 'o', 'tool', 10, 80),
      sp('t-mid', 'plan', 'o', 'tool', 10, 40),
      sp('merge', 'agent:o', 'o', 'llm', 80, 100),
    ]
    expect(path(spans)).toEqual(['plan@0-10', 't-slow@10-80', 'merge@80-100'])
    const cp = criticalPath(spans)
    expect(cp.byKind).toEqual([{ kind: 'tool', ms: 70 }, { kind: 'llm', ms: 30 }])
  })

  it('nested subagent: the path descends through the delegating call into the subagent and back', () => {
    const spans = [
      sp('agent:main', null, 'main', 'agent', 0, 200),
      sp('m1', 'agent:main', 'main', 'llm', 0, 20),
      sp('task', 'm1', 'main', 'tool', 20, 150),
      sp('agent:sub', 'task', 'sub', 'agent', 25, 145),
      sp('s1', 'agent:sub', 'sub', 'llm', 25, 60),
      sp('s-tool', 's1', 'sub', 'tool', 60, 100),
      sp('s2', 'agent:sub', 'sub', 'llm', 100, 145),
      sp('m2', 'agent:main', 'main', 'llm', 150, 200),
    ]
    expect(path(spans)).toEqual(['m1@0-20', 'task@20-25', 's1@25-60', 's-tool@60-100', 's2@100-145', 'task@145-150', 'm2@150-200'])
    expect(criticalPath(spans).byAgent).toEqual([{ agentId: 'sub', ms: 120 }, { agentId: 'main', ms: 80 }])
    const { agents, concurrency } = agentActivity(spans)
    const main = agents.find((a) => a.agentId === 'main')!
    expect(main).toMatchObject({ lifetimeMs: 200, workingMs: 70, waitingMs: 130, delegatingMs: 130 })
    expect(agents.find((a) => a.agentId === 'sub')).toMatchObject({ lifetimeMs: 120, workingMs: 120, waitingMs: 0 })
    expect(concurrency).toMatchObject({ agents: 2, wallMs: 200, busyMs: 190, peakConcurrency: 1 })
    expect(concurrency.averageConcurrency).toBeCloseTo(0.95, 12)
    expect(concurrency.parallelEfficiency).toBeCloseTo(190 / 400, 12)
  })

  it('parallel subagents: the longer one bounds the wall time; peak concurrency 2', () => {
    const spans = [
      sp('agent:main', null, 'main', 'agent', 0, 90),
      sp('m1', 'agent:main', 'main', 'llm', 0, 10),
      sp('task-a', 'm1', 'main', 'tool', 10, 50),
      sp('task-b', 'm1', 'main', 'tool', 10, 70),
      sp('agent:a', 'task-a', 'a', 'agent', 12, 48),
      sp('a1', 'agent:a', 'a', 'llm', 12, 48),
      sp('agent:b', 'task-b', 'b', 'agent', 12, 68),
      sp('b1', 'agent:b', 'b', 'llm', 12, 68),
      sp('m2', 'agent:main', 'main', 'llm', 70, 90),
    ]
    expect(path(spans)).toEqual(['m1@0-10', 'task-b@10-12', 'b1@12-68', 'task-b@68-70', 'm2@70-90'])
    const { concurrency } = agentActivity(spans)
    expect(concurrency.peakConcurrency).toBe(2)
    expect(concurrency.peakAtMs).toBe(12)
    expect(concurrency.busyMs).toBe(30 + 36 + 56)
    expect(concurrency.parallelEfficiency).toBeCloseTo(122 / (90 * 3), 12)
  })

  it('top level: a gap between disjoint spans, and an overlapping top-level span is followed, clipped', () => {
    expect(path([sp('x', null, null, 'other', 0, 10), sp('y', null, null, 'other', 15, 20)])).toEqual(['x@0-10', 'gap@10-15', 'y@15-20'])
    expect(path([sp('a', null, null, 'task', 0, 10), sp('b', null, null, 'task', 5, 20)])).toEqual(['a@0-5', 'b@5-20'])
  })

  it('leaves open spans out and reports them; the structure is valid DTO JSON', () => {
    const spans = [sp('agent:a', null, 'a', 'agent', 0, 10), sp('l', 'agent:a', 'a', 'llm', 0, 10), sp('open', 'agent:a', 'a', 'tool', 5, null)]
    const s = RunStructure.parse(analyzeStructure(spans))
    expect(s.openSpans).toBe(1)
    expect(s.wallMs).toBe(10)
    expect(RunStructure.parse(analyzeStructure([]))).toMatchObject({ wallMs: 0, startMs: null, openSpans: 0 })
  })

  it('segments always tile [first start, last end] (random span forests)', () => {
    const forest = fc.array(
      fc.record({ parent: fc.nat(30), start: fc.integer({ min: 0, max: 500 }), len: fc.integer({ min: 0, max: 300 }), agent: fc.constantFrom('a', 'b', 'c', null) }),
      { maxLength: 30 },
    )
    fc.assert(
      fc.property(forest, (rows) => {
        const spans = rows.map((r, i) => sp(`s${i}`, r.parent < i ? `s${r.parent}` : null, r.agent, 'task', r.start, r.start + r.len))
        expectTiling(spans)
      }),
    )
  })
})
