import { z } from 'zod'
import { PseudonymMapping } from './anonymize'
import { AppConfig } from './config'
import { SpanKind } from './dto'

// Shapes of the integration routes: config, pricing, export, run data pages, alerts, sources.

export const ConfigView = z.object({
  /** The config.json file; null for an in-memory database, whose settings are not kept. */
  path: z.string().nullable(),
  config: AppConfig,
})
export type ConfigView = z.infer<typeof ConfigView>

const rate = z.number()
export const PricedModel = z.object({
  match: z.string(),
  input: rate,
  output: rate,
  cacheWrite5m: rate,
  cacheWrite1h: rate,
  cacheRead: rate,
  longContext: z.object({ aboveInputTokens: z.number(), input: rate, output: rate, cacheWrite5m: rate, cacheWrite1h: rate, cacheRead: rate }).optional(),
  /** 'override' when a user setting replaces or adds this entry. */
  origin: z.enum(['built-in', 'override']),
})
export const PriceTableView = z.object({ version: z.string(), currency: z.literal('USD'), unit: z.string(), models: z.array(PricedModel) })
export type PriceTableView = z.infer<typeof PriceTableView>

export const RecomputeResult = z.object({ runs: z.number(), spans: z.number(), costBeforeUsd: z.number(), costAfterUsd: z.number() })
export type RecomputeResult = z.infer<typeof RecomputeResult>

export const ExportFormat = z.enum(['ndjson', 'otlp', 'csv'])
export type ExportFormat = z.infer<typeof ExportFormat>
export const ExportResult = z.object({
  format: ExportFormat,
  contentType: z.string(),
  filename: z.string(),
  runIds: z.array(z.string()),
  /** Records (NDJSON lines, OTLP spans or CSV rows) written. */
  records: z.number(),
  content: z.string(),
  /** With `anonymize.mapping`: which pseudonym stands for which value. */
  mapping: PseudonymMapping.optional(),
})
export type ExportResult = z.infer<typeof ExportResult>

export const SpanItem = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  agentId: z.string().nullable(),
  kind: SpanKind,
  name: z.string(),
  startMs: z.number().nullable(),
  endMs: z.number().nullable(),
  durationMs: z.number().nullable(),
  status: z.enum(['ok', 'error', 'unset']),
  error: z.string().nullable(),
  model: z.string().nullable(),
  inputTokens: z.number().nullable(),
  outputTokens: z.number().nullable(),
  cacheCreationTokens: z.number().nullable(),
  cacheReadTokens: z.number().nullable(),
  costUsd: z.number().nullable(),
})
export type SpanItem = z.infer<typeof SpanItem>
export const SpansPage = z.object({
  runId: z.string(),
  /** Spans matching the filters, over all pages. */
  total: z.number(),
  offset: z.number(),
  limit: z.number(),
  spans: z.array(SpanItem),
  /** Pass as `offset` for the next page; null on the last one. */
  nextOffset: z.number().nullable(),
})
export type SpansPage = z.infer<typeof SpansPage>

export const MetricPoint = z.object({ t: z.number(), value: z.number(), min: z.number(), max: z.number(), count: z.number() })
export const MetricSeries = z.object({
  runId: z.string(),
  from: z.number().nullable(),
  to: z.number().nullable(),
  bucketMs: z.number(),
  /** One series per metric name and label set; each bucket holds the mean, min, max and count of its samples. */
  series: z.array(z.object({ name: z.string(), unit: z.string().nullable(), labels: z.record(z.string(), z.string()), reported: z.boolean(), points: z.array(MetricPoint) })),
})
export type MetricSeries = z.infer<typeof MetricSeries>

export const Delivery = z.object({
  url: z.string(),
  format: z.enum(['slack', 'json']),
  status: z.enum(['delivered', 'failed']),
  attempts: z.number(),
  /** HTTP status of the last attempt, or null when it never got an answer. */
  httpStatus: z.number().nullable(),
  error: z.string().nullable(),
})
export type Delivery = z.infer<typeof Delivery>

export const AlertRecord = z.object({
  id: z.string(),
  ruleId: z.string(),
  kind: z.string(),
  runId: z.string().nullable(),
  severity: z.enum(['warning', 'critical']),
  title: z.string(),
  message: z.string(),
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  firedAt: z.string(),
  deliveries: z.array(Delivery),
})
export type AlertRecord = z.infer<typeof AlertRecord>

export const SourceFormat = z.object({ format: z.string(), name: z.string(), description: z.string() })
export const SourceLocation = z.object({ name: z.string(), path: z.string(), exists: z.boolean(), entries: z.number().nullable() })
export const Sources = z.object({ formats: z.array(SourceFormat), locations: z.array(SourceLocation) })
export type Sources = z.infer<typeof Sources>
