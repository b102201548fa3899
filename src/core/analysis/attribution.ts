import type { AgentAttribution, CacheReport, ModelAttribution, ToolAttribution } from '../../shared/analysis-dto'
import { builtInPrices, findPrice, type PriceTable, type Rates } from '../pricing/price'
import { type AgentRow, groupBy, latencyOf, type SpanRow, tokensOf } from './span-data'
import { quantile, sum } from './stats'

// Who spent the tokens, the money and the time: by agent (own and with subagents rolled up),
// by tool and by model; and what the prompt cache saved.

type Usage = AgentAttribution['own']

const emptyUsage = (): Usage => ({
  inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0, totalTokens: 0,
  llmCalls: 0, toolCalls: 0, costUsd: 0, unpricedCalls: 0,
})

function addSpan(u: Usage, s: SpanRow): void {
  if (s.kind === 'tool') u.toolCalls++
  if (s.kind !== 'llm') return
  u.llmCalls++
  u.inputTokens += s.inputTokens ?? 0
  u.outputTokens += s.outputTokens ?? 0
  u.cacheCreationTokens += s.cacheCreationTokens ?? 0
  u.cacheReadTokens += s.cacheReadTokens ?? 0
  u.totalTokens += tokensOf(s) ?? 0
  // An LLM call with usage but no cost has a model the price table does not know.
  if (s.costUsd !== null) u.costUsd += s.costUsd
  else if (s.inputTokens !== null) u.unpricedCalls++
}

function addUsage(into: Usage, u: Usage): void {
  for (const k of Object.keys(into) as (keyof Usage)[]) into[k] += u[k]
}

/**
 * Per agent: its own LLM and tool calls, and the same rolled up over every subagent below it
 * (a subagent's cost is also its parent's cost, which is what the parent's decision to delegate
 * cost). Agents seen only on spans get a row named by their id. Ordered by rolled-up cost.
 */
export function attributeByAgent(spans: SpanRow[], agents: AgentRow[]): AgentAttribution[] {
  const rows = new Map<string, AgentAttribution>()
  const row = (id: string, a?: AgentRow) => {
    let r = rows.get(id)
    if (!r) {
      r = { agentId: id, name: a?.name ?? id, type: a?.type ?? null, parentAgentId: a?.parentAgentId ?? null, depth: 0, own: emptyUsage(), rolledUp: emptyUsage(), shareOfCost: null }
      rows.set(id, r)
    }
    return r
  }
  for (const a of agents) row(a.id, a)
  for (const s of spans) if (s.agentId !== null) addSpan(row(s.agentId).own, s)
  const total = sum([...rows.values()].map((r) => r.own.costUsd))
  for (const r of rows.values()) {
    // Walk up the parent chain, adding this agent's own usage to itself and every ancestor.
    const seen = new Set<string>()
    let depth = 0
    for (let cur: AgentAttribution | undefined = r; cur && !seen.has(cur.agentId); cur = cur.parentAgentId ? rows.get(cur.parentAgentId) : undefined) {
      seen.add(cur.agentId)
      addUsage(cur.rolledUp, r.own)
      if (cur !== r) depth++
    }
    r.depth = depth
    r.shareOfCost = total > 0 ? r.own.costUsd / total : null
  }
  return [...rows.values()].sort((a, b) => b.rolledUp.costUsd - a.rolledUp.costUsd || a.depth - b.depth || (a.agentId < b.agentId ? -1 : 1))
}

export function attributeByTool(spans: SpanRow[]): ToolAttribution[] {
  return [...groupBy(spans, (s) => (s.kind === 'tool' ? s.name : null))]
    .map(([tool, calls]) => {
      const lat = calls.map(latencyOf).filter((x): x is number => x !== null)
      const errors = calls.filter((c) => c.status === 'error').length
      return {
        tool, count: calls.length, errors, errorRate: calls.length ? errors / calls.length : null,
        totalMs: sum(lat), meanMs: lat.length ? sum(lat) / lat.length : null, p95Ms: quantile(lat, 0.95),
      }
    })
    .sort((a, b) => b.totalMs - a.totalMs || b.count - a.count || (a.tool < b.tool ? -1 : 1))
}

export function attributeByModel(spans: SpanRow[]): ModelAttribution[] {
  const groups = new Map<string, Usage>()
  for (const s of spans) {
    if (s.kind !== 'llm') continue
    const key = s.model ?? '(unknown model)'
    if (!groups.has(key)) groups.set(key, emptyUsage())
    addSpan(groups.get(key) as Usage, s)
  }
  const total = sum([...groups.values()].map((u) => u.costUsd))
  return [...groups]
    .map(([model, u]) => ({
      model, llmCalls: u.llmCalls, inputTokens: u.inputTokens, outputTokens: u.outputTokens, cacheCreationTokens: u.cacheCreationTokens,
      cacheReadTokens: u.cacheReadTokens, totalTokens: u.totalTokens, costUsd: u.costUsd, unpricedCalls: u.unpricedCalls,
      shareOfCost: total > 0 ? u.costUsd / total : null,
    }))
    .sort((a, b) => b.costUsd - a.costUsd || b.totalTokens - a.totalTokens || (a.model < b.model ? -1 : 1))
}

/** The rates costOf applies to a call: long-context rates once the prompt passes their threshold. */
function ratesFor(s: SpanRow, prices: PriceTable): Rates | null {
  const price = findPrice(s.model, prices)
  if (!price) return null
  const prompt = (s.inputTokens ?? 0) + (s.cacheCreationTokens ?? 0) + (s.cacheReadTokens ?? 0)
  return price.longContext && prompt > price.longContext.aboveInputTokens ? price.longContext : price
}

/**
 * Hit ratio = cache_read / (input + cache_creation + cache_read) over LLM calls. Saved money is
 * Σ cache_read × (input rate − cache-read rate): what the same tokens would have cost uncached.
 * Cache writes cost more than input, but that premium is already in the run's cost, not a saving.
 * `prices`: the store's (with the user's overrides), which priced the calls.
 */
export function cacheReport(spans: SpanRow[], prices: PriceTable = builtInPrices): CacheReport {
  let input = 0
  let creation = 0
  let read = 0
  let saved = 0
  let unpriced = 0
  for (const s of spans) {
    if (s.kind !== 'llm') continue
    input += s.inputTokens ?? 0
    creation += s.cacheCreationTokens ?? 0
    const cr = s.cacheReadTokens ?? 0
    read += cr
    if (cr === 0) continue
    const r = ratesFor(s, prices)
    if (r) saved += (cr * (r.input - r.cacheRead)) / 1_000_000
    else unpriced += cr
  }
  const prompt = input + creation + read
  return { inputTokens: input, cacheCreationTokens: creation, cacheReadTokens: read, hitRatio: prompt > 0 ? read / prompt : null, savedUsd: saved, unpricedCacheReadTokens: unpriced }
}
