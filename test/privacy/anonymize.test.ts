import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createCore } from '../../src/core'
import { Pseudonymizer, anonymizeOverview, anonymizeRunSummary } from '../../src/core/privacy/anonymize'
import type { RunOverview } from '../../src/shared/dto'
import { SHOWCASE_MAIN, SHOWCASE_SUB } from '../helpers/transcript-facts'
import { tempDb } from '../helpers/temp'

/** Every number in a value, with its path: what anonymizing must leave untouched. */
function numbers(v: unknown, path = ''): [string, number][] {
  if (typeof v === 'number') return [[path, v]]
  if (Array.isArray(v)) return v.flatMap((x, i) => numbers(x, `${path}[${i}]`))
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => numbers(x, `${path}.${k}`))
  return []
}

async function showcaseOverview(): Promise<RunOverview> {
  const core = createCore({ path: tempDb() })
  const imported = await core.call('import.paths', { paths: [SHOWCASE_MAIN, SHOWCASE_SUB], group: 'baseline', tags: { model: 'haiku', owner: 'alice' } })
  if (!imported.ok) throw new Error(imported.error.message)
  const o = await core.call('runs.overview', { id: imported.data.runs[0].id })
  core.close()
  if (!o.ok) throw new Error(o.error.message)
  return o.data
}

describe('Pseudonymizer', () => {
  it('gives the same pseudonym for the same salt, kind and value, across instances', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.constantFrom('project', 'agent', 'run', 'session', 'host'), fc.string(), (salt, kind, value) => {
        expect(new Pseudonymizer(salt).pseudonym(kind, value)).toBe(new Pseudonymizer(salt).pseudonym(kind, value))
      }),
      { numRuns: 1000 },
    )
  })

  it('gives short readable ids: kind-xxxx', () => {
    const p = new Pseudonymizer('s')
    expect(p.agent('main')).toMatch(/^agent-[0-9a-f]{4}$/)
    expect(p.project('webapp')).toMatch(/^project-[0-9a-f]{4}$/)
    expect(p.run('cc-123')).toMatch(/^run-[0-9a-f]{4}$/)
    expect(p.session('88a8d761-7b9a')).toMatch(/^session-[0-9a-f]{4}$/)
    expect(p.host('alice-laptop.local')).toMatch(/^host-[0-9a-f]{4}$/)
    // The kind is part of the key: the same value under two kinds does not give away that they are equal.
    expect(p.agent('x').slice(-4)).not.toBe(p.project('x').slice(-4))
  })

  it('gives different pseudonyms under different salts, so exports cannot be joined without the salt', () => {
    const values = Array.from({ length: 50 }, (_, i) => `agent-${i}`)
    const a = new Pseudonymizer('salt-one')
    const b = new Pseudonymizer('salt-two')
    const same = values.filter((v) => a.agent(v) === b.agent(v))
    expect(same.length).toBeLessThanOrEqual(1) // 16 bits each: a chance match is possible, not more
    // With no salt given, each export draws its own.
    const r1 = new Pseudonymizer()
    const r2 = new Pseudonymizer()
    expect(r1.salt).not.toBe(r2.salt)
    expect(values.filter((v) => r1.agent(v) === r2.agent(v)).length).toBeLessThanOrEqual(1)
  })

  it('never gives two values the same pseudonym (collisions get longer ids)', () => {
    const p = new Pseudonymizer('collide')
    const values = Array.from({ length: 3000 }, (_, i) => `v${i}`)
    const out = values.map((v) => p.agent(v))
    expect(new Set(out).size).toBe(values.length)
    expect(out.some((x) => x.length > 'agent-'.length + 4)).toBe(true) // 3000 values in 65,536 ids: some collided
    expect(values.map((v) => p.agent(v))).toEqual(out) // and answers stay stable within the export
  })

  it('redacts free text and replaces names it has already pseudonymized', () => {
    const p = new Pseudonymizer('t')
    const project = p.project('acme-webapp')
    expect(p.text('build of acme-webapp failed in /home/alice/acme-webapp, token=abc123')).toBe(`build of ${project} failed in ~/${project}, token=[REDACTED:token]`)
  })

  it('replaces names in text only as whole words, longest first, in one pass', () => {
    const p = new Pseudonymizer('w')
    const [main, agentNamedAgent, long] = [p.agent('main'), p.agent('agent-1234'), p.agent('main-worker')]
    expect(p.text('main spawned main-worker in the domain; mainline kept')).toBe(`${main} spawned ${long} in the domain; mainline kept`)
    // A pseudonym is never rewritten, even when it contains a name that is itself replaced.
    expect(p.text('agent-1234 and main')).toBe(`${agentNamedAgent} and ${main}`)
    // Short names would replace parts of ordinary words: they are left in text (their fields still get pseudonyms).
    p.group('qa')
    expect(p.text('qa passed')).toBe('qa passed')
    // A run's name stands for its id's pseudonym.
    const run = p.run('cc-77')
    p.alias('webapp · 5e55abcd', run)
    expect(p.text('report of webapp · 5e55abcd')).toBe(`report of ${run}`)
  })

  it('gives opaque ids without remembering them', () => {
    const p = new Pseudonymizer('o')
    expect(p.opaque('id', 'req_123')).toMatch(/^id-[0-9a-f]{12}$/)
    expect(p.opaque('id', 'req_123')).toBe(new Pseudonymizer('o').opaque('id', 'req_123'))
    expect(p.mapping()).toEqual([])
  })

  it('pseudonymizes chosen fields of any record and keeps numbers', () => {
    const p = new Pseudonymizer('r')
    const rec = { runId: 'cc-1', agentId: 'main', host: 'box', durationMs: 1234.5, ok: true, note: 'mail bob@example.com', spans: [{ agentId: 'sub', tokens: 7 }] }
    const out = p.record(rec, { runId: 'run', agentId: 'agent', host: 'host' })
    expect(out).toEqual({ runId: p.run('cc-1'), agentId: p.agent('main'), host: p.host('box'), durationMs: 1234.5, ok: true, note: 'mail [REDACTED:email]', spans: [{ agentId: p.agent('sub'), tokens: 7 }] })
  })
})

describe('anonymizeRunSummary and anonymizeOverview', () => {
  it('change names and ids, never numbers', async () => {
    const o = await showcaseOverview()
    const p = new Pseudonymizer('export-1')
    const a = anonymizeOverview(o, p)
    expect(numbers(a)).toEqual(numbers(o))
    const json = JSON.stringify(a)
    // ('main' stays visible as an agent *type*, so it is checked field by field below.)
    for (const secret of [o.run.id, o.run.name, 'baseline', 'alice', ...o.agents.map((x) => x.id).filter((x) => x !== 'main'), '55550000']) expect(json).not.toContain(secret)
    const originals = new Set(o.agents.flatMap((x) => [x.id, x.name]))
    for (const x of a.agents) for (const v of [x.id, x.name, x.parentAgentId]) expect(originals.has(v as string)).toBe(false)
    expect(a.run.id).toMatch(/^run-[0-9a-f]{4,}$/)
    expect(a.run.group).toBe(p.group('baseline'))
    expect(Object.keys(a.run.tags).sort()).toEqual(['model', 'owner'])
    // Agent types are roles, not names: kept. Parent links still point at the right (pseudonymized) agent.
    expect(a.agents.map((x) => x.type)).toEqual(o.agents.map((x) => x.type))
    const sub = o.agents.find((x) => x.parentAgentId !== null)!
    expect(a.agents.find((x) => x.id === p.agent(sub.id))!.parentAgentId).toBe(a.agents.find((x) => x.id === p.agent(sub.parentAgentId!))!.id)
    // The input is not modified.
    expect(o.run.group).toBe('baseline')
  })

  it('same salt → same output; different salts → different ids; options keep groups and tags', async () => {
    const o = await showcaseOverview()
    expect(anonymizeOverview(o, new Pseudonymizer('s1'))).toEqual(anonymizeOverview(o, new Pseudonymizer('s1')))
    expect(anonymizeRunSummary(o.run, new Pseudonymizer('s1')).id).not.toBe(anonymizeRunSummary(o.run, new Pseudonymizer('s2')).id)
    const kept = anonymizeRunSummary(o.run, new Pseudonymizer('s1'), { keepGroups: true, keepTags: true })
    expect(kept.group).toBe('baseline')
    expect(kept.tags).toEqual({ model: 'haiku', owner: 'alice' })
  })
})
