import type { PriceOverride } from '../../shared/config'
import type { RecomputeResult } from '../../shared/integrations-dto'
import { CoreError } from '../../shared/result'
import { loadConfig, saveConfig } from '../config/file'
import { effectivePrices, priceTableView } from '../pricing/effective'
import { builtInPrices } from '../pricing/price'
import { recomputeCosts } from '../pricing/recompute'
import { resolveRunId } from '../queries/runs'
import type { CoreContext, HandlersFor } from './types'

/**
 * After the overrides changed (by pricing.set/unset, or config.set/reset of pricing.overrides),
 * reprices what the previous prices had priced, in the write queue.
 */
export async function repriceStored({ store, writes, emit }: CoreContext, before: readonly PriceOverride[], after: readonly PriceOverride[]): Promise<RecomputeResult> {
  const recomputed = await writes.run(() => recomputeCosts(store.write, effectivePrices(after), [effectivePrices(before), builtInPrices]))
  if (recomputed.runs > 0) emit('runs.changed', { runIds: [] })
  return recomputed
}

export const pricingHandlers = (ctx: CoreContext): HandlersFor<'pricing'> => {
  const { store, writes, emit } = ctx
  /** Saves new overrides and reprices what the old prices had priced. */
  const change = async (overrides: PriceOverride[]) => {
    const before = loadConfig(store.path)
    saveConfig(store.path, { ...before, pricing: { ...before.pricing, overrides } })
    return { table: priceTableView(overrides), recomputed: await repriceStored(ctx, before.pricing.overrides, overrides) }
  }
  return {
    'pricing.get': () => priceTableView(loadConfig(store.path).pricing.overrides),
    'pricing.set': (i) => change([...loadConfig(store.path).pricing.overrides.filter((o) => o.match.toLowerCase() !== i.match.toLowerCase()), i]),
    'pricing.unset': (i) => {
      const overrides = loadConfig(store.path).pricing.overrides
      const rest = overrides.filter((o) => o.match.toLowerCase() !== i.match.toLowerCase())
      if (rest.length === overrides.length) throw new CoreError('not_found', `no price override for ${i.match}`)
      return change(rest)
    },
    'pricing.recompute': async (i) => {
      const table = effectivePrices(loadConfig(store.path).pricing.overrides)
      const runIds = i.runs?.map((r) => resolveRunId(store.read, r))
      const result = await writes.run(() => recomputeCosts(store.write, table, [table, builtInPrices], runIds))
      if (result.runs > 0) emit('runs.changed', { runIds: runIds ?? [] })
      return result
    },
  }
}
