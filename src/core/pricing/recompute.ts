import type { Database } from 'better-sqlite3'
import type { RecomputeResult } from '../../shared/integrations-dto'
import { refreshRunStats } from '../store/run-stats'
import { costOf, matchesAsPrefix, matchesModel, type PriceTable } from './price'

interface UsageRow {
  run_id: string
  id: string
  model: string | null
  input_tokens: number
  output_tokens: number | null
  cache_creation_tokens: number | null
  cache_creation_5m_tokens: number | null
  cache_creation_1h_tokens: number | null
  cache_read_tokens: number | null
  cost_usd: number | null
}

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-12 + 1e-9 * Math.abs(b)

/**
 * Reprices stored LLM calls with `table`. Only costs Swarmscope computed are replaced: a span is
 * repriced when it has no cost yet (an unpriced model) or when its cost equals what one of
 * `priorTables` (the tables that may have priced it: built-in, the previous overrides) gives.
 * A cost the source stated exactly (NDJSON `costUsd`) matches none of them and is kept.
 * `legacyPrefix`: a cost the prior tables gave when their entries matched model ids as prefixes
 * counts as computed too (see reprice-pending.ts).
 * Must run on the write connection inside the write queue; one transaction.
 */
export function recomputeCosts(db: Database, table: PriceTable, priorTables: PriceTable[], runIds?: string[], opts: { legacyPrefix?: boolean } = {}): RecomputeResult {
  const matchers = opts.legacyPrefix ? [matchesModel, matchesAsPrefix] : [matchesModel]
  const rows = db
    .prepare(
      `SELECT run_id, id, model, input_tokens, output_tokens, cache_creation_tokens, cache_creation_5m_tokens,
         cache_creation_1h_tokens, cache_read_tokens, cost_usd
       FROM spans WHERE kind = 'llm' AND input_tokens IS NOT NULL AND model IS NOT NULL
         AND (@runs IS NULL OR run_id IN (SELECT value FROM json_each(@runs)))`,
    )
    .all({ runs: runIds ? JSON.stringify(runIds) : null }) as UsageRow[]
  const update = db.prepare('UPDATE spans SET cost_usd = ? WHERE run_id = ? AND id = ?')
  const touched = new Set<string>()
  let spans = 0
  let before = 0
  let after = 0
  db.transaction(() => {
    for (const r of rows) {
      const usage = {
        model: r.model, inputTokens: r.input_tokens, outputTokens: r.output_tokens ?? 0, cacheCreationTokens: r.cache_creation_tokens ?? 0,
        cacheCreation5mTokens: r.cache_creation_5m_tokens, cacheCreation1hTokens: r.cache_creation_1h_tokens, cacheReadTokens: r.cache_read_tokens ?? 0,
      }
      const computedBefore = r.cost_usd === null || priorTables.some((t) => matchers.some((m) => {
        const c = costOf(usage, t, m)
        return c !== null && near(r.cost_usd!, c)
      }))
      if (!computedBefore) continue
      const next = costOf(usage, table)
      before += r.cost_usd ?? 0
      after += next ?? 0
      if (next === r.cost_usd) continue
      update.run(next, r.run_id, r.id)
      spans++
      touched.add(r.run_id)
    }
    for (const id of touched) refreshRunStats(db, id)
  })()
  return { runs: touched.size, spans, costBeforeUsd: before, costAfterUsd: after }
}
