import { join } from 'node:path'
import { writeFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createCore } from '../../src/core'
import { generateSwarm } from '../helpers/generated-swarm'
import { tempDb, tempDir } from '../helpers/temp'
import { leaks, numbers, ok } from './outputs'
import { plantSecrets, writeTranscript } from './planted'

// An anonymized bundle is a real bundle: another store opens it and analyses its runs to the
// same numbers. And pseudonyms join exports only through their salt.

async function store() {
  const dir = tempDir()
  const planted = plantSecrets()
  const t = writeTranscript(dir, planted)
  const swarm = generateSwarm({ runId: 'gen-swarm', name: 'nightly of acme-billing', seed: 5, subagents: 3, callsPerAgent: 16, errorEvery: 4 })
  writeFileSync(join(dir, 'gen.ndjson'), swarm.ndjson)
  const core = createCore({ path: tempDb() })
  await ok(core, 'import.paths', { paths: [dir], content: 'redacted', group: 'acme-nightly', tags: { owner: 'alice' } })
  return { core, planted, t, runIds: [t.runId, 'gen-swarm'] }
}

describe('anonymized bundles', () => {
  it('open in another store and analyse to the same numbers, under other names only', async () => {
    const { core, planted, runIds } = await store()
    const other = createCore({ path: tempDb() })
    try {
      const out = join(tempDir(), 'shared.swarmscope')
      const b = await ok(core, 'bundle.export', { runIds, out, includeContent: true, anonymize: { salt: 'b', mapping: true } })
      expect(b.path).toBe(out)
      const opened = await ok(other, 'bundle.import', { path: out })
      expect(opened.runs.map((r) => r.id).sort()).toEqual([...b.manifest.runIds].sort())
      for (const real of runIds) {
        const pseudo = b.mapping!.find((m) => m.kind === 'run' && m.value === real)!.pseudonym
        const [before, after] = [await ok(core, 'runs.get', { id: real }), await ok(other, 'runs.get', { id: pseudo })]
        expect(after.name).toBe(pseudo)
        expect(after.group).not.toBe(before.group)
        expect(numbers(after)).toEqual(numbers(before))
        const [a, z] = [await ok(core, 'analysis.run', { id: real }), await ok(other, 'analysis.run', { id: pseudo })]
        expect(numbers(z)).toEqual(numbers(a))
        expect(z.insights.map((i) => i.confidence)).toEqual(a.insights.map((i) => i.confidence))
        // The text came along, redacted; ids still point at the right spans.
        const text = await ok(other, 'runs.content', { id: pseudo })
        if (real !== 'gen-swarm') {
          expect(text.items.length).toBeGreaterThan(0)
          for (const spanId of new Set(text.items.filter((i) => i.part !== 'prompt').map((i) => i.spanId))) expect((await other.call('spans.get', { id: pseudo, spanId })).ok, spanId).toBe(true)
        }
        expect(leaks([{ name: 'content', text: JSON.stringify(text) }], planted.flatMap((x) => x.needles))).toEqual([])
      }
      const c1 = await ok(core, 'compare.runs', { baseline: runIds[0], candidates: [runIds[1]] })
      const ids = runIds.map((r) => b.mapping!.find((m) => m.value === r)!.pseudonym)
      const c2 = await ok(other, 'compare.runs', { baseline: ids[0], candidates: [ids[1]] })
      expect(c2.comparisons[0].metrics.map((m) => [m.metric, m.pValue, m.changePct, m.verdict])).toEqual(c1.comparisons[0].metrics.map((m) => [m.metric, m.pValue, m.changePct, m.verdict]))
    } finally {
      other.close()
      core.close()
    }
  }, 60_000)

  it('same salt → the same pseudonyms in two exports; different salts → none in common', async () => {
    const { core, runIds } = await store()
    const pseudonyms = (s: string) => new Set(s.match(/\b(run|agent|session|project|group|tag|host|user)-[0-9a-f]{4,}\b/g))
    try {
      // A fixed seed: with 16-bit pseudonyms a chance match between salts is possible (about 1 in 10^4 per pair), so the cases are fixed.
      await fc.assert(
        fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ minLength: 1, maxLength: 40 }), async (s1, s2) => {
          fc.pre(s1 !== s2)
          const first = await ok(core, 'export.runs', { runs: runIds, format: 'ndjson', anonymize: { salt: s1, mapping: true } })
          const second = await ok(core, 'export.runs', { runs: runIds, format: 'csv', csvTable: 'runs', anonymize: { salt: s1, mapping: true } })
          const other = await ok(core, 'export.runs', { runs: runIds, format: 'ndjson', anonymize: { salt: s2, mapping: true } })
          const byValue = (m: typeof first.mapping) => new Map(m!.map((x) => [`${x.kind}:${x.value}`, x.pseudonym]))
          const [m1, m2, n] = [byValue(first.mapping), byValue(second.mapping), byValue(other.mapping)]
          // Both files of salt s1 use the pseudonyms of one table (the CSV adds groups and tags, which NDJSON does not carry).
          expect(m2).toEqual(m1)
          const known = new Set(m1.values())
          expect([...pseudonyms(first.content), ...pseudonyms(second.content)].filter((x) => !known.has(x))).toEqual([])
          expect([pseudonyms(first.content).size, pseudonyms(second.content).size].every((x) => x > 3)).toBe(true)
          // Another salt: the same values, none under the same pseudonym.
          expect([...n.keys()].sort()).toEqual([...m1.keys()].sort())
          expect([...n.values()].filter((x) => known.has(x))).toEqual([])
          expect((await ok(core, 'export.runs', { runs: runIds, format: 'ndjson', anonymize: { salt: s1 } })).content).toBe(first.content)
        }),
        { numRuns: 12, seed: 424242 },
      )
      // Without a salt, two exports cannot be joined.
      const [r1, r2] = [await ok(core, 'export.runs', { runs: runIds, format: 'ndjson', anonymize: {} }), await ok(core, 'export.runs', { runs: runIds, format: 'ndjson', anonymize: {} })]
      expect([...pseudonyms(r1.content)].filter((x) => pseudonyms(r2.content).has(x))).toEqual([])
    } finally {
      core.close()
    }
  }, 120_000)
})
