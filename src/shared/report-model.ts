import { z } from 'zod'

// The report model: one JSON document built from the analysis / comparison results, from which
// every format (JSON, Markdown, HTML, PDF) is rendered. Renderers only lay it out: each number's
// display text is decided once, here, so the formats can never disagree.
//
// Versioned: `schemaVersion` changes when a field changes meaning or disappears; new optional
// fields do not bump it. The JSON Schema is served at GET /api/v1/reports/schema.

export const REPORT_SCHEMA_VERSION = 1

const num = z.number()
const maybe = z.number().nullable()
export const Evidence = z.record(z.string(), z.union([z.number(), z.string(), z.null()]))

export const ChartKind = z.enum(['line', 'bar', 'scatter', 'pie', 'histogram', 'heatmap', 'area', 'gauge'])
export type ChartKind = z.infer<typeof ChartKind>

export const ChartSeries = z.object({
  name: z.string(),
  /** One value per category (bar, pie, histogram, line over categories). */
  values: z.array(maybe).optional(),
  /** [x, y] pairs (line, area, scatter over time or a value axis); x in epoch ms for time axes. */
  points: z.array(z.tuple([num, num])).optional(),
  /** [xIndex, yIndex, value] cells (heatmap). */
  cells: z.array(z.tuple([num, num, maybe])).optional(),
})
export type ChartSeries = z.infer<typeof ChartSeries>

/** Data only: the chart module turns it into an ECharts option and an SVG. */
export const ChartSpec = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  kind: ChartKind,
  title: z.string(),
  caption: z.string(),
  unit: z.string(),
  xType: z.enum(['category', 'time', 'value']),
  xLabel: z.string(),
  yLabel: z.string(),
  categories: z.array(z.string()),
  yCategories: z.array(z.string()),
  series: z.array(ChartSeries),
  gauge: z.object({ value: num, min: num, max: num }).nullable(),
})
export type ChartSpec = z.infer<typeof ChartSpec>

/** A cell keeps its value (for machines) and its display text (for people), decided once. */
export const Cell = z.object({ v: z.union([z.number(), z.string(), z.null()]), t: z.string() })
export type Cell = z.infer<typeof Cell>

export const ReportTable = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string(),
  columns: z.array(z.object({ label: z.string(), align: z.enum(['left', 'right']) })),
  rows: z.array(z.array(Cell)),
  /** Rows left out to keep the report readable (the JSON of the analysis has them all). */
  omitted: num,
})
export type ReportTable = z.infer<typeof ReportTable>

export const Kpi = z.object({ id: z.string(), label: z.string(), value: maybe, unit: z.string(), text: z.string(), note: z.string().nullable() })
export type Kpi = z.infer<typeof Kpi>

export const SummaryLine = z.object({ text: z.string(), evidence: Evidence })
export type SummaryLine = z.infer<typeof SummaryLine>

export const ReportInsight = z.object({
  rank: num,
  kind: z.string(),
  title: z.string(),
  detail: z.string(),
  confidence: num,
  confidenceText: z.string(),
  confidenceMethod: z.string(),
  impact: num,
  /** The run the finding is about (group reports list findings of several runs). */
  runId: z.string(),
  evidence: Evidence,
})
export type ReportInsight = z.infer<typeof ReportInsight>

export const ReportRecommendation = z.object({
  severity: z.enum(['info', 'warning', 'critical']),
  message: z.string(),
  /** What the recommendation rests on: the metric or insight kind and its numbers. */
  basis: z.string(),
  evidence: Evidence,
})
export type ReportRecommendation = z.infer<typeof ReportRecommendation>

export const ReportAnomaly = z.object({
  spanId: z.string(), runId: z.string(), kind: z.string(), name: z.string(), agent: z.string().nullable(),
  latencyText: z.string(), medianText: z.string(), score: num, severity: z.enum(['low', 'medium', 'high']), method: z.string(),
})
export type ReportAnomaly = z.infer<typeof ReportAnomaly>

export const ReportVerdict = z.object({
  candidateRef: z.string(),
  metric: z.string(),
  label: z.string(),
  verdict: z.enum(['improved', 'regressed', 'no-significant-change', 'insufficient-data']),
  verdictText: z.string(),
  /** Values per side (baseline / candidate): spans, or runs when groups are compared run by run. */
  nText: z.string(),
  baselineText: z.string(),
  candidateText: z.string(),
  changeText: z.string(),
  pValue: maybe,
  pText: z.string(),
  effectText: z.string(),
  reason: z.string(),
})
export type ReportVerdict = z.infer<typeof ReportVerdict>

export const ReportRun = z.object({
  id: z.string(), name: z.string(), group: z.string().nullable(), source: z.string(),
  startedAt: z.string().nullable(), endedAt: z.string().nullable(), costUsd: num, spans: num,
})

export const ReportModel = z.object({
  schema: z.literal('swarmscope.report'),
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  generatedAt: z.string(),
  generator: z.object({ name: z.literal('swarmscope'), version: z.string(), analysisVersion: num }),
  template: z.object({ id: z.string(), title: z.string() }),
  title: z.string(),
  scope: z.object({
    kind: z.enum(['run', 'group', 'comparison']),
    /** As asked: a run id, `group:NAME`, or `baseline..candidate[,candidate]`. */
    target: z.string(),
    description: z.string(),
    baseline: z.string().nullable(),
    candidates: z.array(z.string()),
    runs: z.array(ReportRun),
  }),
  summary: z.array(SummaryLine),
  kpis: z.array(Kpi),
  charts: z.array(ChartSpec),
  tables: z.array(ReportTable),
  verdicts: z.array(ReportVerdict),
  anomalies: z.array(ReportAnomaly),
  insights: z.array(ReportInsight),
  recommendations: z.array(ReportRecommendation),
  methodology: z.array(z.object({ topic: z.string(), text: z.string() })),
})
export type ReportModel = z.infer<typeof ReportModel>
