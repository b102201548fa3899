import type { Database } from 'better-sqlite3'
import type { RunAnalysis, SpanAnomaly } from '../../shared/analysis-dto'
import { resolveRunId } from '../queries/runs'
import { pricesForDb } from '../pricing/effective'
import { attributeByAgent, attributeByModel, attributeByTool, cacheReport } from './attribution'
import { insightSteps } from './insights'
import { groupBy, latencyOf, loadAgents, loadSpans, type SpanRow, tokensOf } from './span-data'
import { classifyDistribution, histogram, median, robustAnomalies, summarize } from './stats'
import { drain, drainYielding, type Steps } from './steps'
import { analyzeStructure } from './structure'

export interface AnalyzeRunOptions {
  /** Groups smaller than this are not searched for anomalies: a median of 3 values says little. */
  minGroupSize?: number
  /**
   * 'log' (default) scores ln(1 + ms): latencies are multiplicative and right-skewed, and on the
   * raw scale their ordinary long tail would be flagged. 'linear' scores the milliseconds.
   */
  anomalyScale?: 'log' | 'linear'
  anomalyLevels?: { low: number; medium: number; high: number }
  /** Seed and size of the bootstrap behind the insights' confidence (reproducible by default). */
  seed?: number
  resamples?: number
  alpha?: number
}

function profile(xs: number[]) {
  return { summary: summarize(xs), histogram: histogram(xs), shape: classifyDistribution(xs) }
}

/**
 * Within each group of comparable spans (LLM calls of one model, calls of one tool), flags the
 * ones whose latency is unusually high by the robust modified z-score. Only slow outliers are
 * reported: an unusually fast call is not a problem to look at.
 */
export function latencyAnomalies(spans: SpanRow[], opts: AnalyzeRunOptions = {}): SpanAnomaly[] {
  const minGroup = opts.minGroupSize ?? 5
  const scale = opts.anomalyScale ?? 'log'
  const timed = spans.flatMap((span) => {
    const ms = latencyOf(span)
    return ms !== null && (span.kind === 'llm' || span.kind === 'tool') ? [{ span, ms }] : []
  })
  const groups = groupBy(timed, ({ span }) => (span.kind === 'llm' ? `llm:${span.model ?? span.name}` : `tool:${span.name}`))
  const out: SpanAnomaly[] = []
  for (const [group, members] of groups) {
    if (members.length < minGroup) continue
    const values = members.map((m) => (scale === 'log' ? Math.log1p(m.ms) : m.ms))
    const med = median(members.map((m) => m.ms)) as number
    for (const a of robustAnomalies(values, { direction: 'high', levels: opts.anomalyLevels })) {
      const { span, ms } = members[a.index]
      out.push({
        spanId: span.id, kind: span.kind, name: span.name, agentId: span.agentId, group, latencyMs: ms, groupMedianMs: med,
        groupSize: members.length, score: a.score, severity: a.severity,
        method: `modified z-score (median/MAD) of ${scale === 'log' ? 'ln(1 + ms)' : 'ms'} within ${group}`,
      })
    }
  }
  return out.sort((a, b) => b.score - a.score || (a.spanId < b.spanId ? -1 : 1))
}

/** Everything the run page needs to explain one run, computed from its rows in the store. */
export function analyzeRun(db: Database, runId: string, opts: AnalyzeRunOptions = {}): RunAnalysis {
  return drain(analyzeRunSteps(db, runId, opts))
}

/** The same, giving way to other requests between its steps (see ./steps). */
export function analyzeRunAsync(db: Database, runId: string, opts: AnalyzeRunOptions = {}): Promise<RunAnalysis> {
  return drainYielding(analyzeRunSteps(db, runId, opts))
}

/** The rows are read once, in the first step: every later step sees the same snapshot. */
function* analyzeRunSteps(db: Database, runId: string, opts: AnalyzeRunOptions): Steps<RunAnalysis> {
  const id = resolveRunId(db, runId)
  const spans = loadSpans(db, [id])
  const agents = loadAgents(db, [id])
  yield
  const llm = spans.filter((s) => s.kind === 'llm')
  const llmLatency = llm.map(latencyOf).filter((x): x is number => x !== null)
  const tokensPerCall = llm.map(tokensOf).filter((x): x is number => x !== null)

  const tools = [...groupBy(spans, (s) => (s.kind === 'tool' ? s.name : null))]
    .map(([tool, calls]) => ({
      tool,
      summary: summarize(calls.map(latencyOf).filter((x): x is number => x !== null)),
      errors: calls.filter((c) => c.status === 'error').length,
    }))
    .sort((a, b) => b.summary.sum - a.summary.sum || (a.tool < b.tool ? -1 : 1))

  const byAgent = attributeByAgent(spans, agents)
  const byModel = attributeByModel(spans)
  const attribution = {
    byAgent,
    byTool: attributeByTool(spans),
    byModel,
    totalCostUsd: byModel.reduce((t, m) => t + m.costUsd, 0),
    unpricedModels: byModel.filter((m) => m.unpricedCalls > 0).map((m) => m.model),
  }
  const cache = cacheReport(spans, pricesForDb(db.name))
  const anomalies = latencyAnomalies(spans, opts)
  yield
  const structure = analyzeStructure(spans, agents.flatMap((a) => (a.parentSpanId ? [a.parentSpanId] : [])))
  yield
  const insights = yield* insightSteps({ spans, agents: byAgent, tools: attribution.byTool, models: byModel, cache, anomalies, structure, totalCostUsd: attribution.totalCostUsd }, opts)
  return {
    runId: id,
    spans: spans.length,
    llm: { latencyMs: profile(llmLatency), tokensPerCall: profile(tokensPerCall) },
    tools,
    attribution,
    cache,
    anomalies,
    structure,
    insights,
  }
}
