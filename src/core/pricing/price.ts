import table from '../../../resources/pricing/anthropic.json' with { type: 'json' }

export interface Rates {
  input: number
  output: number
  cacheWrite5m: number
  cacheWrite1h: number
  cacheRead: number
}
export interface ModelPrice extends Rates {
  match: string
  longContext?: Rates & { aboveInputTokens: number }
}
export interface PriceTable {
  version: string
  models: ModelPrice[]
}

export interface LlmUsage {
  model: string | null
  inputTokens: number
  outputTokens: number
  /** Cache writes whose TTL is unknown; Claude Code's default TTL is 5 minutes, so they are priced as 5m. */
  cacheCreationTokens: number
  cacheCreation5mTokens?: number | null
  cacheCreation1hTokens?: number | null
  cacheReadTokens: number
}

export const builtInPrices: PriceTable = table as PriceTable

/** Longest matching prefix wins, so `claude-opus-4-1` is not priced as `claude-opus-4`. */
export function findPrice(model: string | null, prices: PriceTable = builtInPrices): ModelPrice | null {
  if (!model) return null
  const name = model.toLowerCase().replace(/^(anthropic\/|us\.anthropic\.|eu\.anthropic\.)/, '')
  let best: ModelPrice | null = null
  for (const p of prices.models) {
    if (name.startsWith(p.match) && (!best || p.match.length > best.match.length)) best = p
  }
  return best
}

/** Cost in USD of one LLM call, or null when the model has no price (never silently zero). */
export function costOf(u: LlmUsage, prices: PriceTable = builtInPrices): number | null {
  const price = findPrice(u.model, prices)
  if (!price) return null
  const promptTokens = u.inputTokens + u.cacheCreationTokens + u.cacheReadTokens
  const r: Rates = price.longContext && promptTokens > price.longContext.aboveInputTokens ? price.longContext : price
  const known1h = u.cacheCreation1hTokens ?? 0
  const known5m = u.cacheCreation5mTokens ?? Math.max(0, u.cacheCreationTokens - known1h)
  const perToken =
    u.inputTokens * r.input + u.outputTokens * r.output + known5m * r.cacheWrite5m + known1h * r.cacheWrite1h + u.cacheReadTokens * r.cacheRead
  return perToken / 1_000_000
}
