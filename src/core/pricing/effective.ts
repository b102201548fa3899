import type { PriceOverride } from '../../shared/config'
import type { PriceTableView } from '../../shared/integrations-dto'
import { loadConfig } from '../config/file'
import { builtInPrices, type ModelPrice, type PriceTable } from './price'

/** An override as a table entry; unset cache rates follow Anthropic's multipliers of the input rate. */
export function overrideToPrice(o: PriceOverride): ModelPrice {
  return {
    match: o.match.toLowerCase(),
    input: o.input,
    output: o.output,
    cacheWrite5m: o.cacheWrite5m ?? o.input * 1.25,
    cacheWrite1h: o.cacheWrite1h ?? o.input * 2,
    cacheRead: o.cacheRead ?? o.input * 0.1,
  }
}

/**
 * The built-in table with the user's overrides applied: an override replaces the entry with the
 * same `match` (long-context tier included: the override's rates are what the user pays) or adds
 * one. Of the entries that price a model, the longest `match` wins (see findPrice).
 */
export function effectivePrices(overrides: readonly PriceOverride[], base: PriceTable = builtInPrices): PriceTable {
  if (overrides.length === 0) return base
  const byMatch = new Map(base.models.map((m) => [m.match, m]))
  for (const o of overrides) byMatch.set(o.match.toLowerCase(), overrideToPrice(o))
  const version = `${base.version}+${overrides.length} override${overrides.length === 1 ? '' : 's'}`
  return { version, models: [...byMatch.values()] }
}

/**
 * The prices imports use for a database: built-in plus the overrides in its config.json.
 * A config file that cannot be read falls back to the built-in table rather than failing an
 * import; `swarmscope config list` and `doctor` report the broken file.
 */
export function pricesForDb(dbPath: string): PriceTable {
  try {
    return effectivePrices(loadConfig(dbPath).pricing.overrides)
  } catch {
    return builtInPrices
  }
}

export function priceTableView(overrides: readonly PriceOverride[]): PriceTableView {
  const overridden = new Set(overrides.map((o) => o.match.toLowerCase()))
  return {
    version: effectivePrices(overrides).version,
    currency: 'USD',
    unit: 'per million tokens',
    models: effectivePrices(overrides).models.map((m) => ({ ...m, origin: overridden.has(m.match) ? ('override' as const) : ('built-in' as const) })),
  }
}
