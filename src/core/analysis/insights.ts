import type { AgentAttribution, CacheReport, Insight, ModelAttribution, SpanAnomaly, ToolAttribution } from '../../shared/analysis-dto'
import * as f from './format'
import { structuralInsights } from './insights-structure'
import { drain, type Steps } from './steps'
import { groupBy, latencyOf, type SpanRow } from './span-data'
import { cliffsDelta, DEFAULT_RESAMPLES, DEFAULT_SEED, holmAdjust, linearTrend, mannWhitneyU, median, mulberry32, normalTwoSided, pearson, predictionInterval, quantile, quantileSorted, sorted, spearman, wilsonInterval } from './stats'
import type { RunStructure } from './structure'

// Findings about one run. Each is computed from the run's numbers: its sentence is filled from
// `evidence`, its confidence comes from the statistic named in confidenceMethod, and findings
// are ranked by impact × confidence.

export type Finding = Omit<Insight, 'rank'>

export interface InsightContext {
  spans: SpanRow[]
  agents: AgentAttribution[]
  tools: ToolAttribution[]
  models: ModelAttribution[]
  cache: CacheReport
  anomalies: SpanAnomaly[]
  structure: RunStructure
  totalCostUsd: number
}

export interface InsightOptions {
  seed?: number
  resamples?: number
  alpha?: number
}

/** JSON-safe evidence: a non-finite number becomes null. */
export const finite = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : x)

/**
 * Share of cost held by the largest agent and the largest model, with a bootstrap over LLM calls:
 * the calls are resampled B times; the interval is the percentile interval of the top key's share
 * and the confidence is the fraction of resamples in which it is still the largest. B shrinks for
 * huge runs so that B × calls stays under 2·10⁷ (at least 200 resamples). Both dimensions use the
 * same seed, hence the same resampled calls, so one pass of draws serves both.
 */
function costShares(ctx: InsightContext, opts: InsightOptions): (Finding | null)[] {
  const calls = ctx.spans.filter((s) => s.kind === 'llm' && s.costUsd !== null)
  const total = calls.reduce((t, s) => t + (s.costUsd as number), 0)
  const cost = Float64Array.from(calls, (s) => s.costUsd as number)
  const dims = (['agent', 'model'] as const).map((dimension) => {
    const keyOf = (s: SpanRow) => (dimension === 'agent' ? (s.agentId ?? '(no agent)') : (s.model ?? '(unknown model)'))
    const index = new Map<string, number>()
    const k = Int32Array.from(calls, (s) => {
      const key = keyOf(s)
      let i = index.get(key)
      if (i === undefined) index.set(key, (i = index.size))
      return i
    })
    const byKey = new Float64Array(index.size)
    for (let i = 0; i < calls.length; i++) byKey[k[i]] += cost[i]
    return { dimension, keyOf, keys: [...index.keys()], k, byKey, top: byKey.indexOf(Math.max(...byKey)) }
  })
  if (total <= 0 || dims.every((d) => d.keys.length < 2)) return [null, null]
  const n = calls.length
  const b = Math.max(200, Math.min(opts.resamples ?? DEFAULT_RESAMPLES, Math.floor(2e7 / n)))
  const rng = mulberry32(opts.seed ?? DEFAULT_SEED)
  const [ka, km] = [dims[0].k, dims[1].k]
  const accA = new Float64Array(dims[0].keys.length)
  const accM = new Float64Array(dims[1].keys.length)
  const shares = dims.map(() => new Float64Array(b))
  const stillTop = [0, 0]
  for (let r = 0; r < b; r++) {
    accA.fill(0)
    accM.fill(0)
    for (let i = 0; i < n; i++) {
      const j = Math.floor(rng() * n)
      accA[ka[j]] += cost[j]
      accM[km[j]] += cost[j]
    }
    ;[accA, accM].forEach((acc, d) => {
      const t = acc.reduce((x, y) => x + y, 0)
      shares[d][r] = t > 0 ? acc[dims[d].top] / t : 0
      if (acc[dims[d].top] >= Math.max(...acc)) stillTop[d]++
    })
  }
  return dims.map(({ dimension, keyOf, keys, k, byKey, top }, d): Finding | null => {
    if (keys.length < 2) return null
    shares[d].sort()
    const share = byKey[top] / total
    const lo = quantileSorted(shares[d], 0.025) as number
    const hi = quantileSorted(shares[d], 0.975) as number
    const name = dimension === 'agent' ? (ctx.agents.find((a) => a.agentId === keys[top])?.name ?? keys[top]) : keys[top]
    const count = k.filter((x) => x === top).length
    const costliest = calls.filter((s) => keyOf(s) === keys[top]).sort((a, c) => (c.costUsd as number) - (a.costUsd as number))
    return {
      kind: `cost-share-${dimension}`,
      title: `${dimension === 'agent' ? 'Agent' : 'Model'} "${name}" accounts for ${f.pct(share)} of the cost`,
      detail: `${f.usd(byKey[top])} of ${f.usd(total)} over ${count} of ${n} priced LLM calls; 95% bootstrap interval of the share ${f.pct(lo)}–${f.pct(hi)}; it stays the largest in ${f.pct(stillTop[d] / b)} of ${b} resamples.`,
      confidence: stillTop[d] / b,
      confidenceMethod: `bootstrap over LLM calls (${b} resamples): fraction in which it remains the largest`,
      impact: share,
      evidence: { key: keys[top], costUsd: byKey[top], totalCostUsd: total, share, shareLower: lo, shareUpper: hi, calls: count, resamples: b },
      spanIds: costliest.slice(0, 3).map((s) => s.id),
    }
  })
}

/** Tools whose latencies sit above the other tools': Mann–Whitney vs the pooled rest, Holm across tools. */
function slowTools(ctx: InsightContext, opts: InsightOptions): Finding[] {
  const alpha = opts.alpha ?? 0.05
  const groups = [...groupBy(ctx.spans, (s) => (s.kind === 'tool' && latencyOf(s) !== null ? s.name : null))]
    .map(([tool, calls]) => ({ tool, calls, ms: calls.map((c) => latencyOf(c) as number) }))
    .filter((g) => g.ms.length >= 3)
  if (groups.length < 2) return []
  const totalMs = groups.reduce((t, g) => t + g.ms.reduce((x, y) => x + y, 0), 0)
  // The other tools' latencies sorted once per tool: the tests and quantiles below depend only on
  // the values, not their order, and sorting 10⁵ values four times per tool was most of the time.
  const tests = groups.map((g) => {
    const rest = sorted(groups.filter((o) => o !== g).flatMap((o) => o.ms))
    return { g, rest, mw: mannWhitneyU(rest, g.ms), delta: cliffsDelta(rest, g.ms) as number }
  })
  const adjusted = holmAdjust(tests.map((t) => t.mw?.pValue ?? null))
  const out: Finding[] = []
  tests.forEach(({ g, rest, mw, delta }, i) => {
    const adj = adjusted[i]
    const p95 = quantile(g.ms, 0.95) as number
    const restP95 = quantileSorted(rest, 0.95) as number
    if (adj === null || adj >= alpha || delta < 0.33 || p95 <= restP95) return
    const slowest = [...g.calls].sort((a, b) => (latencyOf(b) as number) - (latencyOf(a) as number))
    out.push({
      kind: 'tool-latency-outlier',
      title: `Tool "${g.tool}" is slower than the other tools: p95 ${f.ms(p95)} vs ${f.ms(restP95)}`,
      detail: `${g.ms.length} calls, median ${f.ms(median(g.ms) as number)} vs ${f.ms(quantileSorted(rest, 0.5) as number)} for ${rest.length} calls of other tools; Mann–Whitney ${f.p(adj)} (Holm over ${groups.length} tools), Cliff's δ = ${delta.toFixed(2)}.`,
      confidence: 1 - adj,
      confidenceMethod: 'Mann–Whitney U vs the other tools, Holm-adjusted across tools',
      impact: totalMs > 0 ? g.ms.reduce((x, y) => x + y, 0) / totalMs : 0,
      evidence: { tool: g.tool, calls: g.ms.length, p95Ms: p95, otherP95Ms: restP95, pValue: mw?.pValue ?? null, adjustedP: adj, cliffsDelta: delta },
      spanIds: slowest.slice(0, 3).map((s) => s.id),
    })
  })
  return out
}

/** LLM latency against time in the run (least squares); reported when the slope is significant. */
function latencyTrend(ctx: InsightContext, opts: InsightOptions): Finding | null {
  const calls = ctx.spans.filter((s) => s.kind === 'llm' && latencyOf(s) !== null)
  if (calls.length < 8 || ctx.structure.startMs === null) return null
  const t0 = ctx.structure.startMs
  const x = calls.map((s) => ((s.startMs as number) - t0) / 60_000)
  const y = calls.map((s) => latencyOf(s) as number)
  const trend = linearTrend(x, y)
  if (!trend || trend.slopePValue === null || trend.slopePValue >= (opts.alpha ?? 0.05)) return null
  const last = x.reduce((m, v) => Math.max(m, v), -Infinity)
  const span = last - x.reduce((m, v) => Math.min(m, v), Infinity)
  const med = median(y) as number
  const end = predictionInterval(trend, last)
  return {
    kind: 'llm-latency-trend',
    title: `LLM latency ${trend.slope > 0 ? 'rose' : 'fell'} by ${f.ms(Math.abs(trend.slope))} per minute over the run`,
    detail: `Least squares over ${calls.length} calls: slope ${trend.slope.toFixed(1)} ms/min, R² = ${trend.rSquared.toFixed(2)}, ${f.p(trend.slopePValue)}.` +
      (end ? ` A call at the end of the run is predicted at ${f.ms(end.estimate)} (95% prediction interval ${f.ms(end.lower)} to ${f.ms(end.upper)}).` : ''),
    confidence: 1 - trend.slopePValue,
    confidenceMethod: 't-test of the least-squares slope',
    impact: med > 0 ? Math.min(1, Math.abs(trend.slope * span) / med) : 0,
    evidence: { slopeMsPerMin: trend.slope, interceptMs: trend.intercept, rSquared: trend.rSquared, pValue: trend.slopePValue, calls: calls.length, predictedEndMs: finite(end?.estimate) },
    spanIds: [],
  }
}

/** Whether LLM latency follows output length (Spearman, robust to the skew of both). */
function latencyVsOutput(ctx: InsightContext, opts: InsightOptions): Finding | null {
  const calls = ctx.spans.filter((s) => s.kind === 'llm' && latencyOf(s) !== null && s.outputTokens !== null)
  if (calls.length < 8) return null
  const out = calls.map((s) => s.outputTokens as number)
  const ms = calls.map((s) => latencyOf(s) as number)
  const rho = spearman(out, ms)
  if (!rho || rho.pValue === null || rho.pValue >= (opts.alpha ?? 0.05)) return null
  const r = pearson(out, ms)
  return {
    kind: 'latency-follows-output',
    title: `LLM latency ${rho.r > 0 ? 'grows' : 'shrinks'} with output length (Spearman ρ = ${rho.r.toFixed(2)})`,
    detail: `Over ${calls.length} calls: Spearman ρ = ${rho.r.toFixed(2)} (${f.p(rho.pValue)}), Pearson r = ${r ? r.r.toFixed(2) : 'n/a'}; ${f.pct(rho.r * rho.r)} of the rank variance of latency goes with output tokens.`,
    confidence: 1 - rho.pValue,
    confidenceMethod: 't approximation for Spearman ρ',
    impact: rho.r * rho.r,
    evidence: { spearmanRho: rho.r, pValue: rho.pValue, pearsonR: finite(r?.r), calls: calls.length },
    spanIds: [],
  }
}

/** The failing tool with the most errors; confidence from a two-proportion z-test against the other tools. */
function toolErrors(ctx: InsightContext): Finding | null {
  const worst = [...ctx.tools].filter((t) => t.errors > 0).sort((a, b) => b.errors - a.errors || (b.errorRate ?? 0) - (a.errorRate ?? 0))[0]
  if (!worst) return null
  const allCalls = ctx.tools.reduce((t, x) => t + x.count, 0)
  const otherCalls = allCalls - worst.count
  const otherErrors = ctx.tools.reduce((t, x) => t + x.errors, 0) - worst.errors
  const ci = wilsonInterval(worst.errors, worst.count)
  let pValue: number | null = null
  if (otherCalls > 0) {
    const pooled = (worst.errors + otherErrors) / allCalls
    const se = Math.sqrt(pooled * (1 - pooled) * (1 / worst.count + 1 / otherCalls))
    pValue = se > 0 ? normalTwoSided(((worst.errorRate as number) - otherErrors / otherCalls) / se) : 1
  }
  const failed = ctx.spans.filter((s) => s.kind === 'tool' && s.name === worst.tool && s.status === 'error')
  return {
    kind: 'tool-errors',
    title: `Tool "${worst.tool}" failed ${worst.errors} of ${worst.count} calls (${f.pct(worst.errorRate as number)})`,
    detail: `95% Wilson interval of its error rate ${f.pct(ci?.lower ?? 0)}–${f.pct(ci?.upper ?? 0)}` +
      (pValue === null ? '; it is the only tool called.' : `; other tools failed ${otherErrors} of ${otherCalls} calls (two-proportion z-test ${f.p(pValue)}).`),
    confidence: pValue === null ? 1 : 1 - pValue,
    confidenceMethod: pValue === null ? 'observed count' : 'two-proportion z-test against the other tools',
    impact: allCalls > 0 ? worst.errors / allCalls : 0,
    evidence: { tool: worst.tool, errors: worst.errors, calls: worst.count, errorRate: worst.errorRate, lower: finite(ci?.lower), upper: finite(ci?.upper), otherErrors, otherCalls, pValue },
    spanIds: failed.slice(0, 5).map((s) => s.id),
  }
}

/** The findings in steps (see ./steps): the bootstrap and the rank tests each take a while on big runs. */
export function* insightSteps(ctx: InsightContext, opts: InsightOptions = {}): Steps<Insight[]> {
  const found: (Finding | null)[] = [...costShares(ctx, opts)]
  yield
  found.push(...slowTools(ctx, opts))
  yield
  found.push(latencyTrend(ctx, opts), latencyVsOutput(ctx, opts), toolErrors(ctx))
  yield
  found.push(...structuralInsights(ctx))
  const clamp = (x: number) => Math.max(0, Math.min(1, Number.isFinite(x) ? x : 0))
  return found
    .filter((x): x is Finding => x !== null)
    .map((x) => ({ ...x, confidence: clamp(x.confidence), impact: clamp(x.impact) }))
    .sort((a, b) => b.impact * b.confidence - a.impact * a.confidence || (a.kind < b.kind ? -1 : 1))
    .map((x, i) => ({ rank: i + 1, ...x }))
}

export const runInsights = (ctx: InsightContext, opts: InsightOptions = {}): Insight[] => drain(insightSteps(ctx, opts))
