import { z } from 'zod'

// Data shapes that cross a transport. Words match the UI, the CLI and the tables:
// run, agent, span, group, baseline.

export const SpanKind = z.enum(['agent', 'llm', 'tool', 'task', 'other'])
export type SpanKind = z.infer<typeof SpanKind>

export const TokenTotals = z.object({
  inputTokens: z.number(),
  outputTokens: z.number(),
  cacheCreationTokens: z.number(),
  cacheReadTokens: z.number(),
})

export const RunSummary = TokenTotals.extend({
  id: z.string(),
  source: z.string(),
  format: z.string(),
  name: z.string(),
  group: z.string().nullable(),
  tags: z.record(z.string(), z.string()),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  agents: z.number(),
  spans: z.number(),
  llmCalls: z.number(),
  toolCalls: z.number(),
  errors: z.number(),
  metricSamples: z.number(),
  events: z.number(),
  costUsd: z.number(),
  /** Cost written by the tool that produced the log (e.g. Claude Code's costUSD), kept beside ours. */
  reportedCostUsd: z.number().nullable(),
  /** Models seen in LLM spans that the price table does not know: their cost is not in costUsd. */
  unpricedModels: z.array(z.string()),
  contentPolicy: z.enum(['none', 'redacted', 'full']),
})
export type RunSummary = z.infer<typeof RunSummary>

/** The stored runs added up: `costUsd` leaves out what unpriced models cost, as each run's does. */
export const RunTotals = TokenTotals.extend({
  runs: z.number(),
  llmCalls: z.number(),
  toolCalls: z.number(),
  errors: z.number(),
  costUsd: z.number(),
  /** Runs with at least one model the price table does not know. */
  runsWithUnpricedModels: z.number(),
})
export type RunTotals = z.infer<typeof RunTotals>

export const AgentSummary = TokenTotals.extend({
  id: z.string(),
  name: z.string(),
  type: z.string().nullable(),
  parentAgentId: z.string().nullable(),
  llmCalls: z.number(),
  toolCalls: z.number(),
  costUsd: z.number(),
})
export type AgentSummary = z.infer<typeof AgentSummary>

export const TokenPoint = z.object({
  t: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cacheCreationTokens: z.number(),
  cacheReadTokens: z.number(),
})
export type TokenPoint = z.infer<typeof TokenPoint>

export const RunOverview = z.object({
  run: RunSummary,
  agents: z.array(AgentSummary),
  /** Tokens per LLM call over time, bucketed so a chart gets at most `maxPoints` points. */
  tokensOverTime: z.array(TokenPoint),
  bucketMs: z.number(),
})
export type RunOverview = z.infer<typeof RunOverview>

export const ContentPolicy = z.enum(['none', 'redacted', 'full'])
export type ContentPolicy = z.infer<typeof ContentPolicy>

/** Text kept for a span (or, for part 'prompt', a user.prompt event), under the redacted or full content policy. */
export const ContentItem = z.object({
  spanId: z.string(),
  part: z.enum(['input', 'output', 'prompt']),
  text: z.string(),
  /** 'redacted' when secrets and personal paths were replaced before storing; 'full' when stored as read. */
  policy: z.enum(['redacted', 'full']),
  ts: z.number().nullable(),
})
export type ContentItem = z.infer<typeof ContentItem>

export const RunContent = z.object({
  runId: z.string(),
  /** The most permissive policy the run was imported under; 'none' means no text is stored. */
  contentPolicy: ContentPolicy,
  items: z.array(ContentItem),
})
export type RunContent = z.infer<typeof RunContent>

/** A user redaction rule (see README, "What Swarmscope stores"). */
export const RedactionRuleSpec = z.object({
  id: z.string().regex(/^[\w.-]+$/),
  description: z.string().optional(),
  pattern: z.string().min(1),
  flags: z.string().regex(/^[gimsu]*$/).optional(),
  replacement: z.string().optional(),
})
export type RedactionRuleSpec = z.infer<typeof RedactionRuleSpec>

export const SkippedInput = z.object({ file: z.string(), line: z.number().nullable(), reason: z.string() })
export type SkippedInput = z.infer<typeof SkippedInput>

export const ImportResult = z.object({
  runs: z.array(RunSummary),
  skipped: z.array(SkippedInput),
  files: z.number(),
  /** Files not read again: unchanged since the last import, whose skipped lines that import listed. */
  unchanged: z.number(),
  /** Runs stored before this import: a group or tags given to it left them as they were. */
  kept: z.array(z.string()),
})
export type ImportResult = z.infer<typeof ImportResult>

export const ImportProgress = z.object({
  importId: z.string(),
  file: z.string(),
  bytesRead: z.number(),
  totalBytes: z.number(),
  /** Lines read so far, over all files. */
  lines: z.number(),
  /** Runs written so far (at the end: every run the import names). */
  runs: z.number(),
  filesDone: z.number(),
  filesTotal: z.number(),
  done: z.boolean(),
  /** Present while the import waits for another process writing to the store (the app tailing, another import): ms waited so far. */
  waitingMs: z.number().optional(),
})
export type ImportProgress = z.infer<typeof ImportProgress>

export const Health = z.object({
  version: z.string(),
  dbPath: z.string(),
  schemaVersion: z.number(),
  runs: z.number(),
})
export type Health = z.infer<typeof Health>
