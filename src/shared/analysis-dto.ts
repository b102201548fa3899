import { z } from 'zod'
import { SpanKind } from './dto'

// Results of the analysis engine (src/core/analysis). They cross IPC and HTTP as JSON, so every
// number is finite: an undefined quantity (a std of one value, a p-value that cannot be
// computed) is null, never NaN or Infinity (z.number() rejects both).

const num = z.number()
const maybe = z.number().nullable()

export const StatSummary = z.object({
  count: num, sum: num, mean: maybe, std: maybe, min: maybe, max: maybe,
  p50: maybe, p75: maybe, p90: maybe, p95: maybe, p99: maybe,
})
export type StatSummary = z.infer<typeof StatSummary>

export const Interval = z.object({ estimate: num, lower: num, upper: num, level: num })
export type Interval = z.infer<typeof Interval>

export const ShapeTest = z.object({ test: z.string(), statistic: maybe, pValue: maybe })
export const DistributionShape = z.object({
  kind: z.enum(['normal', 'log-normal', 'uniform', 'bimodal', 'heavy-tailed', 'other', 'insufficient-data']),
  score: maybe,
  reason: z.string(),
  normality: ShapeTest,
  logNormality: ShapeTest,
  uniformity: ShapeTest,
  bimodalityCoefficient: maybe,
  excessKurtosis: maybe,
})
export type DistributionShape = z.infer<typeof DistributionShape>

export const Histogram = z.object({
  edges: z.array(num),
  counts: z.array(num),
  binWidth: num,
  rule: z.enum(['freedman-diaconis', 'sturges', 'single']),
})

export const LatencyProfile = z.object({ summary: StatSummary, histogram: Histogram.nullable(), shape: DistributionShape })

export const ToolLatency = z.object({ tool: z.string(), summary: StatSummary, errors: num })

const Tokens = z.object({ inputTokens: num, outputTokens: num, cacheCreationTokens: num, cacheReadTokens: num, totalTokens: num })

export const AgentUsage = Tokens.extend({ llmCalls: num, toolCalls: num, costUsd: num, unpricedCalls: num })

export const AgentAttribution = z.object({
  agentId: z.string(),
  name: z.string(),
  type: z.string().nullable(),
  parentAgentId: z.string().nullable(),
  /** 0 for a top-level agent, 1 for its subagents, … */
  depth: num,
  /** The agent's own calls only. */
  own: AgentUsage,
  /** Own calls plus those of every subagent below it. */
  rolledUp: AgentUsage,
  shareOfCost: maybe,
})
export type AgentAttribution = z.infer<typeof AgentAttribution>

export const ToolAttribution = z.object({
  tool: z.string(), count: num, errors: num, errorRate: maybe, totalMs: num, meanMs: maybe, p95Ms: maybe,
})
export type ToolAttribution = z.infer<typeof ToolAttribution>
export const ModelAttribution = Tokens.extend({ model: z.string(), llmCalls: num, costUsd: num, unpricedCalls: num, shareOfCost: maybe })
export type ModelAttribution = z.infer<typeof ModelAttribution>

export const CacheReport = z.object({
  inputTokens: num,
  cacheCreationTokens: num,
  cacheReadTokens: num,
  /** cache_read / (input + cache_creation + cache_read); null with no prompt tokens. */
  hitRatio: maybe,
  /** What the cache reads would have cost at the input rate, minus what they cost. */
  savedUsd: num,
  /** Cache-read tokens of models without a price: not in savedUsd. */
  unpricedCacheReadTokens: num,
})
export type CacheReport = z.infer<typeof CacheReport>

export const SpanAnomaly = z.object({
  spanId: z.string(),
  kind: SpanKind,
  name: z.string(),
  agentId: z.string().nullable(),
  group: z.string(),
  latencyMs: num,
  groupMedianMs: num,
  groupSize: num,
  score: num,
  severity: z.enum(['low', 'medium', 'high']),
  method: z.string(),
})
export type SpanAnomaly = z.infer<typeof SpanAnomaly>

export const CriticalSegment = z.object({
  spanId: z.string().nullable(), agentId: z.string().nullable(), kind: SpanKind.nullable(), startMs: num, endMs: num,
})
export const RunStructure = z.object({
  startMs: maybe,
  endMs: maybe,
  wallMs: num,
  criticalPath: z.object({
    segments: z.array(CriticalSegment),
    spanIds: z.array(z.string()),
    byKind: z.array(z.object({ kind: z.union([SpanKind, z.literal('gap')]), ms: num })),
    byAgent: z.array(z.object({ agentId: z.string().nullable(), ms: num })),
  }),
  concurrency: z.object({
    agents: num, wallMs: num, busyMs: num, averageConcurrency: maybe, peakConcurrency: num, peakAtMs: maybe, parallelEfficiency: maybe,
  }),
  agents: z.array(z.object({
    agentId: z.string(), startMs: num, endMs: num, lifetimeMs: num, workingMs: num, waitingMs: num, delegatingMs: num,
  })),
  openSpans: num,
})
export type RunStructure = z.infer<typeof RunStructure>

/** A computed finding: its text is generated from `evidence`, never written in advance. */
export const Insight = z.object({
  rank: num,
  kind: z.string(),
  title: z.string(),
  detail: z.string(),
  /** 0–1, from the statistic named in confidenceMethod (1 for exact measurements of this run). */
  confidence: num,
  confidenceMethod: z.string(),
  /** 0–1, how much of the run the finding concerns; ranking is by impact × confidence. */
  impact: num,
  evidence: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
  spanIds: z.array(z.string()),
})
export type Insight = z.infer<typeof Insight>

export const RunAnalysis = z.object({
  runId: z.string(),
  spans: num,
  llm: z.object({ latencyMs: LatencyProfile, tokensPerCall: LatencyProfile }),
  tools: z.array(ToolLatency),
  attribution: z.object({
    byAgent: z.array(AgentAttribution),
    byTool: z.array(ToolAttribution),
    byModel: z.array(ModelAttribution),
    totalCostUsd: num,
    unpricedModels: z.array(z.string()),
  }),
  cache: CacheReport,
  anomalies: z.array(SpanAnomaly),
  structure: RunStructure,
  insights: z.array(Insight),
})
export type RunAnalysis = z.infer<typeof RunAnalysis>

// ---- comparison ----

export const Verdict = z.enum(['improved', 'regressed', 'no-significant-change', 'insufficient-data'])
export type Verdict = z.infer<typeof Verdict>
export const Direction = z.enum(['lower-is-better', 'higher-is-better'])
export type Direction = z.infer<typeof Direction>

export const SideStats = z.object({ n: num, mean: maybe, median: maybe, std: maybe, p95: maybe })

export const SampleComparison = z.object({
  direction: Direction,
  baseline: SideStats,
  candidate: SideStats,
  /** (mean_c − mean_b)/|mean_b| × 100; null when the baseline mean is 0. */
  changePct: maybe,
  medianChangePct: maybe,
  welchT: maybe,
  welchDf: maybe,
  welchP: maybe,
  mannWhitneyU: maybe,
  mannWhitneyP: maybe,
  /** The p-value the verdict used: the primary test's, Holm-adjusted when part of a family. */
  pValue: maybe,
  test: z.enum(['mann-whitney', 'welch']),
  cohensD: maybe,
  cliffsDelta: maybe,
  /** Bootstrap interval of mean(candidate) − mean(baseline). */
  differenceCi: Interval.nullable(),
  verdict: Verdict,
  reason: z.string(),
})
export type SampleComparison = z.infer<typeof SampleComparison>

export const MetricComparison = SampleComparison.extend({
  metric: z.string(),
  label: z.string(),
  unit: z.string(),
  rawPValue: maybe,
})
export type MetricComparison = z.infer<typeof MetricComparison>

export const RankingCriterion = z.object({
  criterion: z.enum(['latency', 'cost', 'tokens', 'errorRate', 'throughput']),
  metric: z.string(),
  weight: num,
  /** (c − b)/max(|b|, |c|), signed so that positive means the candidate is better; in [−1, 1]. */
  improvement: maybe,
  significant: z.boolean(),
  /** weight × improvement when significant, else 0; the score is their sum over the weights. */
  contribution: num,
  rawContribution: num,
})

export const BreakdownSide = z.object({ calls: num, timeMs: num, costUsd: num, tokens: num, errors: num, meanLatencyMs: maybe })
export const BreakdownRow = z.object({
  dimension: z.enum(['agent', 'tool', 'model']),
  key: z.string(),
  /** Per run: totals divided by the number of runs on that side. */
  baseline: BreakdownSide,
  candidate: BreakdownSide,
  deltaTimeMs: num,
  deltaCostUsd: num,
  deltaTokens: num,
  deltaErrors: num,
  /** Share of the dimension's total change in time / cost (null when the total did not change). */
  shareOfTimeChange: maybe,
  shareOfCostChange: maybe,
  latencyPValue: maybe,
})
export type BreakdownRow = z.infer<typeof BreakdownRow>

export const Recommendation = z.object({
  metric: z.string(),
  severity: z.enum(['info', 'warning', 'critical']),
  message: z.string(),
  evidence: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
})
export type Recommendation = z.infer<typeof Recommendation>

export const ComparisonSide = z.object({ units: z.array(z.array(z.string())), runs: num })

export const RunComparison = z.object({
  mode: z.enum(['spans', 'runs']),
  baseline: ComparisonSide,
  candidate: ComparisonSide,
  settings: z.object({ alpha: num, minSamples: num, minEffect: num, test: z.enum(['mann-whitney', 'welch']) }),
  metrics: z.array(MetricComparison),
  ranking: z.object({
    criteria: z.array(RankingCriterion),
    score: num,
    preferred: z.enum(['candidate', 'baseline', 'tie']),
  }),
  breakdown: z.object({ byTime: z.array(BreakdownRow), byCost: z.array(BreakdownRow) }),
  recommendations: z.array(Recommendation),
})
export type RunComparison = z.infer<typeof RunComparison>
