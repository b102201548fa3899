import { z } from 'zod'
import { SpanKind } from './dto'
import { SpanItem } from './integrations-dto'

// What the UI's timeline and charts read: already cut to the visible window and downsampled
// per pixel in the core, so a 100 k-span run costs the renderer only what fits on screen.
// Large arrays are columns (one array per field), not arrays of objects: a tenth of the JSON.

const nums = z.array(z.number())

export const TimelineAgent = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string().nullable(),
  parentAgentId: z.string().nullable(),
  /** 0 for top-level agents; the order of `agents` is depth-first under each parent. */
  depth: z.number(),
  startMs: z.number().nullable(),
  endMs: z.number().nullable(),
})
export type TimelineAgent = z.infer<typeof TimelineAgent>

/** Order of kinds in the `kind` columns. */
export const TIMELINE_KINDS = SpanKind.options

export const TimelineWindow = z.object({
  runId: z.string(),
  /** The run's bounds, for the overview and zoom limits. */
  runStartMs: z.number().nullable(),
  runEndMs: z.number().nullable(),
  fromMs: z.number(),
  toMs: z.number(),
  msPerPx: z.number(),
  agents: z.array(TimelineAgent),
  /** Spans at least `minPx` wide at this zoom, one per entry; `agent` indexes `agents` (−1: none). */
  spans: z.object({ id: z.array(z.string()), name: z.array(z.string()), agent: nums, kind: nums, start: nums, end: nums, error: nums }),
  /** Spans narrower than `minPx`, counted per agent, kind and bucket of `minPx` pixels. */
  buckets: z.object({ agent: nums, kind: nums, start: nums, end: nums, count: nums, errors: nums }),
  /** Spans overlapping the window, and how many of them were drawn one by one. */
  total: z.number(),
  shown: z.number(),
  /** True when more spans were wide enough than the cap allowed: the rest went into buckets. */
  capped: z.boolean(),
})
export type TimelineWindow = z.infer<typeof TimelineWindow>

/** A span as listed (`SpanItem`), plus what its detail panel shows. */
export const SpanDetail = SpanItem.extend({
  agentName: z.string().nullable(),
  reportedCostUsd: z.number().nullable(),
  /** Size of the tool call's input in bytes, where the source recorded it. */
  inputBytes: z.number().nullable(),
  outputBytes: z.number().nullable(),
  children: z.number(),
})
export type SpanDetail = z.infer<typeof SpanDetail>

/** Where and how big named spans are: to place insights and anomalies on the dashboard's charts. */
export const LocatedSpan = z.object({
  spanId: z.string(),
  kind: SpanKind,
  name: z.string(),
  agentId: z.string().nullable(),
  startMs: z.number().nullable(),
  endMs: z.number().nullable(),
  tokens: z.number().nullable(),
  costUsd: z.number().nullable(),
})
export type LocatedSpan = z.infer<typeof LocatedSpan>

export const SeriesMetric = z.enum(['tokens', 'inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheCreationTokens', 'cost', 'latency', 'toolLatency', 'errors', 'calls'])
export type SeriesMetric = z.infer<typeof SeriesMetric>

/** Per pixel bucket: the first, last, smallest and largest value (M4), plus sum and count. */
export const Series = z.object({
  metric: SeriesMetric,
  unit: z.enum(['tokens', 'usd', 'ms', 'count']),
  fromMs: z.number(),
  toMs: z.number(),
  bucketMs: z.number(),
  /** Points before downsampling. */
  points: z.number(),
  t: nums, first: nums, last: nums, min: nums, max: nums, sum: nums, count: nums,
})
export type Series = z.infer<typeof Series>

const AgentRow = z.object({
  agentId: z.string(), name: z.string(), llmCalls: z.number(), toolCalls: z.number(), errors: z.number(),
  inputTokens: z.number(), outputTokens: z.number(), cacheCreationTokens: z.number(), cacheReadTokens: z.number(), costUsd: z.number(), busyMs: z.number(),
})
const ToolRow = z.object({ tool: z.string(), count: z.number(), errors: z.number(), totalMs: z.number(), meanMs: z.number().nullable(), maxMs: z.number().nullable() })
const ModelRow = z.object({ model: z.string(), llmCalls: z.number(), tokens: z.number(), costUsd: z.number() })

/** The dashboard's aggregates, all from SQL over the run's spans (fast enough for 100 k spans). */
export const Breakdown = z.object({
  runId: z.string(),
  byAgent: z.array(AgentRow),
  byTool: z.array(ToolRow),
  byModel: z.array(ModelRow),
  llmLatency: z.object({
    count: z.number(), mean: z.number().nullable(), p50: z.number().nullable(), p90: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable(),
    edges: nums, counts: nums,
  }),
  /** LLM calls as (latency, tokens); beyond `maxPoints` calls, merged per cell of a grid with a count. */
  scatter: z.object({ latencyMs: nums, tokens: nums, count: nums, spanId: z.array(z.string().nullable()), merged: z.boolean() }),
  /** Busy milliseconds of each agent (row) in each time bucket (column). */
  activity: z.object({ startMs: z.number(), bucketMs: z.number(), buckets: z.number(), agents: z.array(z.string()), /** Display names, in the order of `agents`. */ names: z.array(z.string()), cells: z.array(z.tuple([z.number(), z.number(), z.number()])) }),
  cache: z.object({ promptTokens: z.number(), cacheReadTokens: z.number(), hitRatio: z.number().nullable() }),
})
export type Breakdown = z.infer<typeof Breakdown>
