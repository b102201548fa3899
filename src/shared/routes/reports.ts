import { z } from 'zod'
import { AnonymizeRequest, PseudonymMapping } from '../anonymize'
import { ChartKind } from '../report-model'

// Reports, charts and scheduled delivery. A rendered file crosses every transport the same way:
// text formats as UTF-8 text, binary ones (PDF, PNG, JPEG) as base64; Markdown brings its chart
// SVGs as extra files to write beside it.

export const ReportFormat = z.enum(['json', 'md', 'html', 'pdf'])
export type ReportFormat = z.infer<typeof ReportFormat>
export const ImageFormat = z.enum(['svg', 'png', 'jpeg'])

/** A run id or `latest`, `group:NAME`, or `baseline..candidate[,candidate…]` (each side a run or a group). */
const Target = z.string().min(1).max(2000).describe('run id, latest, group:NAME, or baseline..candidate[,candidate]')

export const RenderedFile = z.object({
  name: z.string(),
  mimeType: z.string(),
  encoding: z.enum(['utf8', 'base64']),
  content: z.string(),
  bytes: z.number(),
})
export type RenderedFile = z.infer<typeof RenderedFile>

export const RenderResult = RenderedFile.extend({
  format: z.string(),
  /** Files that belong beside the main one (the Markdown report's chart SVGs), named relative to it. */
  files: z.array(RenderedFile),
  /** True when the report came from the cache: the data it reads had not changed since. */
  cached: z.boolean(),
  /** With `anonymize.mapping`: which pseudonym stands for which value. */
  mapping: PseudonymMapping.optional(),
})
export type RenderResult = z.infer<typeof RenderResult>

export const RenderRequest = z.object({
  target: Target,
  /** executive | full | comparison, a user template's id, or a template folder's path. Default: full, or comparison for a comparison. */
  template: z.string().min(1).optional(),
  format: ReportFormat.default('html'),
  /** Name of the file (without extension) used for the chart files of a Markdown report. */
  baseName: z.string().regex(/^[\w.-]+$/).max(100).optional(),
  seed: z.coerce.number().int().optional(),
  /** false renders afresh and does not read the cache (the result is still stored). */
  cache: z.boolean().default(true),
  /** Pseudonyms for names and ids, free text redacted; numbers unchanged. Such a report is never cached. */
  anonymize: AnonymizeRequest.optional(),
})
export type RenderRequest = z.input<typeof RenderRequest>

export const TemplateInfo = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  scopes: z.array(z.enum(['run', 'group', 'comparison'])),
  builtIn: z.boolean(),
  /** The folder of a user template. */
  path: z.string().nullable(),
  /** Formats the template has its own layout for; the others use the built-in layout. */
  layouts: z.array(z.enum(['html', 'md'])),
})

export const ChartRequest = z.object({
  id: z.string().min(1).describe("a run id, or 'latest'"),
  chart: ChartKind,
  metric: z.string().min(1),
  format: ImageFormat.default('svg'),
  width: z.coerce.number().int().min(100).max(8000).default(800),
  height: z.coerce.number().int().min(100).max(8000).default(450),
  /** Device pixel ratio for PNG/JPEG (2 = twice the pixels, same layout). */
  scale: z.coerce.number().min(0.5).max(4).default(1),
})
export type ChartRequest = z.input<typeof ChartRequest>

export const ChartMetricInfo = z.object({
  metric: z.string(),
  label: z.string(),
  unit: z.string(),
  source: z.enum(['spans', 'metric_samples']),
  observations: z.number(),
  /** Exact percentiles of the values (type 7 interpolation); null without values. */
  p50: z.number().nullable(),
  p95: z.number().nullable(),
  p99: z.number().nullable(),
})

export const ScheduleSpec = z.object({
  name: z.string().min(1).max(200),
  /** croner syntax: 5 fields, or 6 with seconds first; e.g. `0 8 * * 1-5`. */
  cron: z.string().min(1).max(200),
  timezone: z.string().max(100).optional(),
  target: Target,
  template: z.string().min(1).optional(),
  format: ReportFormat.default('pdf'),
  /** Folder each report is written into (created if missing). */
  outDir: z.string().min(1).optional(),
  emailTo: z.array(z.email()).max(50).default([]),
  /** smtp(s)://user:pass@host:port; without it, SWARMSCOPE_SMTP_URL at delivery time. */
  smtpUrl: z.string().regex(/^smtps?:\/\//).optional(),
  emailFrom: z.string().max(200).optional(),
  /**
   * Deliver every report under pseudonyms (as `reports.render`'s `anonymize`). With a salt each
   * delivery uses the same pseudonyms, so weekly reports can be compared; without one each
   * delivery draws a fresh salt. No mapping: nobody is there to keep it.
   */
  anonymize: AnonymizeRequest.omit({ mapping: true }).optional(),
})
export type ScheduleSpec = z.input<typeof ScheduleSpec>

export const Schedule = ScheduleSpec.omit({ smtpUrl: true, anonymize: true }).extend({
  id: z.string(),
  emailTo: z.array(z.string()),
  format: ReportFormat,
  /** The SMTP address with its password masked, or null when the environment's is used. */
  smtp: z.string().nullable(),
  createdAt: z.string(),
  /** Up to when occurrences have been accounted for (run, failed or recorded as missed). */
  checkedUntil: z.string(),
  nextRunAt: z.string().nullable(),
  missed: z.number(),
  /** Null for plain reports. The salt itself is not shown (like the SMTP password): only whether one is fixed. */
  anonymize: z.object({ salt: z.enum(['fixed', 'per-delivery']), keepGroups: z.boolean(), keepTags: z.boolean() }).nullable(),
})
export type Schedule = z.infer<typeof Schedule>

export const ScheduleRun = z.object({
  scheduleId: z.string(),
  dueAt: z.string(),
  ranAt: z.string().nullable(),
  status: z.enum(['ok', 'failed', 'missed']),
  file: z.string().nullable(),
  emailedTo: z.array(z.string()),
  message: z.string().nullable(),
})
export type ScheduleRun = z.infer<typeof ScheduleRun>

export const reportsRoutes = {
  'reports.templates': { input: z.object({}), output: z.array(TemplateInfo), http: ['GET', '/reports/templates'] },
  /** A template's files (template.json and its layouts), to copy and edit into a template of one's own. */
  'reports.templateSource': {
    input: z.object({ id: z.string().min(1) }),
    output: z.object({ files: z.array(z.object({ name: z.string(), content: z.string() })) }),
    http: ['GET', '/reports/templates/:id/source'],
  },
  'reports.schema': {
    input: z.object({}),
    output: z.object({ schemaVersion: z.number(), jsonSchema: z.record(z.string(), z.unknown()) }),
    http: ['GET', '/reports/schema'],
  },
  'reports.render': { input: RenderRequest, output: RenderResult, http: ['POST', '/reports/render'] },
  'reports.chart': { input: ChartRequest, output: RenderResult, http: ['POST', '/runs/:id/chart'] },
  'reports.chartMetrics': { input: z.object({ id: z.string().min(1) }), output: z.array(ChartMetricInfo), http: ['GET', '/runs/:id/chart-metrics'] },
  'reports.schedules.list': { input: z.object({}), output: z.array(Schedule), http: ['GET', '/reports/schedules'] },
  'reports.schedules.add': { input: ScheduleSpec, output: Schedule, http: ['POST', '/reports/schedules'] },
  'reports.schedules.remove': { input: z.object({ id: z.string().min(1) }), output: z.object({ removed: z.boolean() }), http: ['DELETE', '/reports/schedules/:id'] },
  'reports.schedules.history': {
    input: z.object({ id: z.string().min(1).optional(), limit: z.coerce.number().int().min(1).max(10_000).default(100) }),
    output: z.array(ScheduleRun),
    http: ['GET', '/reports/schedule-runs'],
  },
  /**
   * One pass of the scheduler (`swarmscope serve` calls it every second): runs each schedule's
   * latest occurrence if it fell due within the last minute, and records older ones as missed.
   */
  'reports.schedules.tick': {
    input: z.object({}),
    output: z.object({ ran: z.array(ScheduleRun), missed: z.array(z.object({ scheduleId: z.string(), name: z.string(), count: z.number(), first: z.string(), last: z.string(), reason: z.string() })) }),
    http: ['POST', '/reports/schedules/tick'],
  },
  /** Runs a schedule once now (as if due), delivering like a scheduled run. */
  'reports.schedules.run': { input: z.object({ id: z.string().min(1) }), output: ScheduleRun, http: ['POST', '/reports/schedules/:id/run'] },
} as const
