import * as f from './format'
import type { Finding, InsightContext } from './insights'
import { classifyDistribution, normalTwoSided } from './stats'
import { tokensOf } from './span-data'

// Findings that are exact measurements of this run (the critical path, concurrency, cache,
// token concentration) or that rest on the per-span anomaly scores.

const EXACT = 'exact: measured on this run'

function criticalPathFinding(ctx: InsightContext): Finding | null {
  const { criticalPath, wallMs } = ctx.structure
  const kinds = criticalPath.byKind.filter((k) => k.kind !== 'gap')
  if (wallMs <= 0 || kinds.length === 0) return null
  const top = kinds[0]
  const share = top.ms / wallMs
  const bySpan = new Map<string, number>()
  for (const s of criticalPath.segments) if (s.spanId !== null) bySpan.set(s.spanId, (bySpan.get(s.spanId) ?? 0) + (s.endMs - s.startMs))
  const steps = [...bySpan].sort((a, b) => b[1] - a[1])
  const [longestId, longestMs] = steps[0]
  const longest = ctx.spans.find((s) => s.id === longestId)
  const label: Record<string, string> = { llm: 'LLM calls', tool: 'Tool calls', agent: "Agents' own time between calls", task: 'Tasks', other: 'Other spans' }
  return {
    kind: 'critical-path',
    title: `${label[top.kind]} take ${f.pct(share)} of the critical path`,
    detail: `${f.ms(top.ms)} of ${f.ms(wallMs)} wall time across ${criticalPath.spanIds.length} ${criticalPath.spanIds.length === 1 ? 'span' : 'spans'} on the path; the longest step is ${longest ? `${longest.kind} "${longest.name}"` : longestId} at ${f.ms(longestMs)} (${f.pct(longestMs / wallMs)}).`,
    confidence: 1,
    confidenceMethod: EXACT,
    impact: share,
    evidence: { kind: top.kind, ms: top.ms, wallMs, share, longestSpanId: longestId, longestMs, pathSpans: criticalPath.spanIds.length },
    spanIds: steps.slice(0, 5).map(([id]) => id),
  }
}

function parallelismFinding(ctx: InsightContext): Finding | null {
  const c = ctx.structure.concurrency
  if (c.agents < 2 || c.parallelEfficiency === null || c.averageConcurrency === null) return null
  const idlest = [...ctx.structure.agents].filter((a) => a.lifetimeMs > 0).sort((a, b) => b.waitingMs / b.lifetimeMs - a.waitingMs / a.lifetimeMs)[0]
  return {
    kind: 'parallelism',
    title: `Agents were busy ${f.pct(c.parallelEfficiency)} of the available agent-time`,
    detail: `Average concurrency ${c.averageConcurrency.toFixed(2)} of ${c.agents} agents, peak ${c.peakConcurrency}` +
      (idlest ? `; agent "${idlest.agentId}" waited ${f.pct(idlest.waitingMs / idlest.lifetimeMs)} of its ${f.ms(idlest.lifetimeMs)} lifetime (${f.ms(idlest.delegatingMs)} on subagents).` : '.'),
    confidence: 1,
    confidenceMethod: EXACT,
    impact: 1 - c.parallelEfficiency,
    evidence: { agents: c.agents, parallelEfficiency: c.parallelEfficiency, averageConcurrency: c.averageConcurrency, peakConcurrency: c.peakConcurrency, busyMs: c.busyMs, wallMs: c.wallMs },
    spanIds: [],
  }
}

function cacheFinding(ctx: InsightContext): Finding | null {
  const c = ctx.cache
  // Without cache reads there is no saving to report (and no basis to promise one).
  if (c.hitRatio === null || c.cacheReadTokens === 0) return null
  const wouldBe = ctx.totalCostUsd + c.savedUsd
  return {
    kind: 'cache',
    title: `The prompt cache served ${f.pct(c.hitRatio)} of prompt tokens` + (c.savedUsd > 0 ? `, saving ${f.usd(c.savedUsd)}` : ''),
    detail: `${c.cacheReadTokens.toLocaleString('en-US')} cache-read of ${(c.inputTokens + c.cacheCreationTokens + c.cacheReadTokens).toLocaleString('en-US')} prompt tokens; ` +
      `without the cache the calls would have cost ${f.usd(wouldBe)} instead of ${f.usd(ctx.totalCostUsd)}` +
      (c.unpricedCacheReadTokens > 0 ? ` (${c.unpricedCacheReadTokens.toLocaleString('en-US')} cache-read tokens of unpriced models not counted).` : '.'),
    confidence: 1,
    confidenceMethod: EXACT,
    impact: wouldBe > 0 ? c.savedUsd / wouldBe : 0,
    evidence: { hitRatio: c.hitRatio, savedUsd: c.savedUsd, costUsd: ctx.totalCostUsd, cacheReadTokens: c.cacheReadTokens, unpricedCacheReadTokens: c.unpricedCacheReadTokens },
    spanIds: [],
  }
}

/** Confidence of the worst anomaly: the normal two-sided tail of its modified z-score. */
function anomalyFinding(ctx: InsightContext): Finding | null {
  if (ctx.anomalies.length === 0) return null
  const worst = ctx.anomalies[0]
  const groupTime = new Map<string, number>()
  let timed = 0
  for (const s of ctx.spans) {
    if ((s.kind === 'llm' || s.kind === 'tool') && s.startMs !== null && s.endMs !== null) timed += s.endMs - s.startMs
  }
  const excess = ctx.anomalies.reduce((t, a) => t + Math.max(0, a.latencyMs - a.groupMedianMs), 0)
  for (const a of ctx.anomalies) groupTime.set(a.group, (groupTime.get(a.group) ?? 0) + 1)
  const high = ctx.anomalies.filter((a) => a.severity === 'high').length
  return {
    kind: 'latency-anomalies',
    title: `${ctx.anomalies.length} span${ctx.anomalies.length === 1 ? '' : 's'} had anomalous latency (${high} high)`,
    detail: `The worst, ${worst.kind} "${worst.name}" (${worst.spanId}), took ${f.ms(worst.latencyMs)} against a median of ${f.ms(worst.groupMedianMs)} for its ${worst.groupSize} peers ` +
      `(modified z = ${worst.score.toFixed(1)}, ${worst.severity}); the anomalies spent ${f.ms(excess)} above their groups' medians, in ${groupTime.size} group${groupTime.size === 1 ? '' : 's'}.`,
    confidence: 1 - normalTwoSided(worst.score),
    confidenceMethod: 'normal two-sided tail of the worst modified z-score',
    impact: timed > 0 ? Math.min(1, excess / timed) : 0,
    evidence: { anomalies: ctx.anomalies.length, high, worstSpanId: worst.spanId, worstMs: worst.latencyMs, groupMedianMs: worst.groupMedianMs, worstScore: worst.score, excessMs: excess },
    spanIds: ctx.anomalies.slice(0, 10).map((a) => a.spanId),
  }
}

/** How much of the token use the largest 10% of LLM calls took; reported from 10 calls and a 25% share. */
function tokenConcentration(ctx: InsightContext): Finding | null {
  const calls = ctx.spans.filter((s) => s.kind === 'llm' && tokensOf(s) !== null).sort((a, b) => (tokensOf(b) as number) - (tokensOf(a) as number))
  if (calls.length < 10) return null
  const tokens = calls.map((s) => tokensOf(s) as number)
  const total = tokens.reduce((a, b) => a + b, 0)
  const k = Math.ceil(calls.length / 10)
  const topShare = total > 0 ? tokens.slice(0, k).reduce((a, b) => a + b, 0) / total : 0
  if (topShare < 0.25) return null
  const shape = classifyDistribution(tokens)
  return {
    kind: 'token-concentration',
    title: `The largest ${k} of ${calls.length} LLM calls used ${f.pct(topShare)} of all tokens`,
    detail: `Tokens per call look ${shape.kind} (${shape.reason}); the largest call used ${tokens[0].toLocaleString('en-US')} tokens, the median ${tokens[Math.floor(tokens.length / 2)].toLocaleString('en-US')}.`,
    confidence: 1,
    confidenceMethod: EXACT,
    impact: topShare - k / calls.length,
    evidence: { topCalls: k, calls: calls.length, topShare, totalTokens: total, shape: shape.kind, shapeScore: shape.score },
    spanIds: calls.slice(0, k).slice(0, 10).map((s) => s.id),
  }
}

export function structuralInsights(ctx: InsightContext): (Finding | null)[] {
  return [criticalPathFinding(ctx), parallelismFinding(ctx), cacheFinding(ctx), anomalyFinding(ctx), tokenConcentration(ctx)]
}
