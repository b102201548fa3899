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

/**
 * Provider prefixes in front of the model id: Bedrock (`anthropic.`, `us.anthropic.`, …),
 * LiteLLM/OpenRouter (`anthropic/`).
 */
const PROVIDER_PREFIX = /^(?:anthropic\/|(?:[a-z]{2,6}\.)?anthropic\.)/
/**
 * What may follow a table entry's id in a model name and still be that model: a snapshot date
 * (`-20250514`, Vertex's `@20250514`), `-latest`, Bedrock's version (`-v1:0`). Anything else is
 * another model: `claude-opus-4-6` is not `claude-opus-4`, whose prices it would silently get
 * if entries matched as prefixes.
 */
const SNAPSHOT_SUFFIX = /^(?:[-@](?:\d{8}|latest))?(?:-v\d+(?::\d+)?)?$/

/** Whether a table entry prices `name`; an entry ending in `*` (a user's override) is a plain prefix. */
export function matchesModel(match: string, name: string): boolean {
  if (match.endsWith('*')) return name.startsWith(match.slice(0, -1))
  return name.startsWith(match) && SNAPSHOT_SUFFIX.test(name.slice(match.length))
}

/**
 * How entries matched before 0.1 (a plain prefix): kept only to recognise the costs it gave, so
 * that they can be repriced (pricing/reprice-pending.ts).
 */
export const matchesAsPrefix = (match: string, name: string): boolean => name.startsWith(match.endsWith('*') ? match.slice(0, -1) : match)

/** The model's entry: its id (and snapshots of it), else the longest `*` prefix that covers it. */
export function findPrice(model: string | null, prices: PriceTable = builtInPrices, matches = matchesModel): ModelPrice | null {
  if (!model) return null
  const name = model.toLowerCase().replace(PROVIDER_PREFIX, '')
  let best: ModelPrice | null = null
  for (const p of prices.models) {
    if (matches(p.match, name) && (!best || p.match.length > best.match.length)) best = p
  }
  return best
}

/** Cost in USD of one LLM call, or null when the model has no price (never silently zero). */
export function costOf(u: LlmUsage, prices: PriceTable = builtInPrices, matches = matchesModel): number | null {
  const price = findPrice(u.model, prices, matches)
  if (!price) return null
  const promptTokens = u.inputTokens + u.cacheCreationTokens + u.cacheReadTokens
  const r: Rates = price.longContext && promptTokens > price.longContext.aboveInputTokens ? price.longContext : price
  const known1h = u.cacheCreation1hTokens ?? 0
  const known5m = u.cacheCreation5mTokens ?? Math.max(0, u.cacheCreationTokens - known1h)
  const perToken =
    u.inputTokens * r.input + u.outputTokens * r.output + known5m * r.cacheWrite5m + known1h * r.cacheWrite1h + u.cacheReadTokens * r.cacheRead
  return perToken / 1_000_000
}
