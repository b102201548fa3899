import { readFileSync } from 'node:fs'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { createCore } from '../../src/core'
import { effectivePrices } from '../../src/core/pricing/effective'
import { findPrice } from '../../src/core/pricing/price'
import { SIDECHAIN } from '../helpers/transcript-facts'
import { tempDb } from '../helpers/temp'

const matchOf = (model: string, overrides: Parameters<typeof effectivePrices>[0] = []) => findPrice(model, effectivePrices(overrides))?.match ?? null

describe('model prices', () => {
  it('price a model id and its snapshots, never another model that merely starts like it', () => {
    expect(matchOf('claude-opus-4-20250514')).toBe('claude-opus-4')
    expect(matchOf('claude-opus-4-1-20250805')).toBe('claude-opus-4-1')
    expect(matchOf('claude-sonnet-4-5')).toBe('claude-sonnet-4-5')
    expect(matchOf('us.anthropic.claude-sonnet-4-20250514-v1:0')).toBe('claude-sonnet-4')
    expect(matchOf('anthropic.claude-3-5-haiku-20241022-v1:0')).toBe('claude-3-5-haiku')
    expect(matchOf('claude-sonnet-4@20250514')).toBe('claude-sonnet-4')
    expect(matchOf('anthropic/claude-3-5-sonnet-latest')).toBe('claude-3-5-sonnet')
    expect(matchOf('CLAUDE-HAIKU-4-5-20251001')).toBe('claude-haiku-4-5')
    // Newer models than the table: unpriced, not priced as their older namesakes.
    for (const m of ['claude-opus-4-6', 'claude-opus-45', 'claude-sonnet-4-5-1', 'claude-opus-4-20250514x', 'claude-3-5-sonnetx']) expect(matchOf(m), m).toBeNull()
  })

  it('let a user override cover a family with a trailing *', () => {
    const overrides = [{ match: 'my-finetune*', input: 4, output: 20 }, { match: 'claude-opus-4-6', input: 5, output: 25 }]
    expect(matchOf('my-finetune-v2', overrides)).toBe('my-finetune*')
    expect(matchOf('claude-opus-4-6-20260201', overrides)).toBe('claude-opus-4-6')
    expect(findPrice('claude-opus-4-6', effectivePrices(overrides))?.input).toBe(5)
    // The exact entry beats a shorter wildcard that also covers it.
    expect(matchOf('claude-opus-4', [{ match: 'claude-*', input: 1, output: 1 }])).toBe('claude-opus-4')
  })

  it('reprice once, on upgrade, the calls a prefix had priced as another model, keeping costs a source stated', async () => {
    const path = tempDb()
    let core = createCore({ path })
    const imported = await core.call('import.paths', { paths: [SIDECHAIN] })
    if (!imported.ok) throw new Error(imported.error.message)
    core.close()
    // What a store written before exact matching holds: a call to a newer model priced as its
    // prefix (claude-sonnet-4-6 cost what claude-sonnet-4 costs), and one whose cost a source stated.
    const db = new Database(path)
    const llm = db.prepare("SELECT id, cost_usd FROM spans WHERE kind = 'llm' ORDER BY id").all() as { id: string; cost_usd: number }[]
    expect(llm.length).toBeGreaterThanOrEqual(2)
    const [renamed, stated] = llm
    db.prepare("UPDATE spans SET model = 'claude-sonnet-4-6' WHERE id = ?").run(renamed.id)
    db.prepare("UPDATE spans SET model = 'claude-sonnet-4-7', cost_usd = 1.25 WHERE id = ?").run(stated.id)
    db.prepare("INSERT INTO pending_reprice (reason, added_at) VALUES ('exact-model-match', 0)").run()
    db.close()

    core = createCore({ path })
    const check = new Database(path, { readonly: true })
    const cost = (id: string) => (check.prepare('SELECT cost_usd FROM spans WHERE id = ?').get(id) as { cost_usd: number | null }).cost_usd
    expect(cost(renamed.id)).toBeNull()
    expect(cost(stated.id)).toBe(1.25)
    expect(check.prepare('SELECT COUNT(*) FROM pending_reprice').pluck().get()).toBe(0)
    const run = await core.call('runs.get', { id: 'latest' })
    if (!run.ok) throw new Error(run.error.message)
    expect(run.data.unpricedModels).toEqual(['claude-sonnet-4-6'])
    const others = llm.slice(2).reduce((n, s) => n + s.cost_usd, 0)
    expect(run.data.costUsd).toBeCloseTo(1.25 + others, 12)
    check.close()
    core.close()
  })

  it("value cache savings at the store's prices, the user's override included", async () => {
    const core = createCore({ path: tempDb() })
    const imported = await core.call('import.paths', { paths: [SIDECHAIN] })
    if (!imported.ok) throw new Error(imported.error.message)
    const set = await core.call('pricing.set', { match: 'claude-sonnet-4-5', input: 2, output: 10, cacheRead: 0.25 })
    expect(set.ok).toBe(true)
    const a = await core.call('analysis.run', { id: 'latest' })
    if (!a.ok) throw new Error(a.error.message)
    // Cache reads counted from the transcript's own usage lines (first line of each response).
    const seen = new Set<string>()
    let reads = 0
    for (const line of readFileSync(SIDECHAIN, 'utf8').split('\n').filter(Boolean)) {
      const r = JSON.parse(line) as { requestId?: string; message?: { id?: string; usage?: { cache_read_input_tokens?: number } } }
      const key = `${r.message?.id}:${r.requestId}`
      if (!r.message?.usage || seen.has(key)) continue
      seen.add(key)
      reads += r.message.usage.cache_read_input_tokens ?? 0
    }
    expect(reads).toBeGreaterThan(0)
    expect(a.data.cache.savedUsd).toBeCloseTo((reads * (2 - 0.25)) / 1e6, 12)
    core.close()
  })
})
