import type { RunAnalysis } from '../../../shared/analysis-dto'
import type { RunSummary } from '../../../shared/dto'
import { chartRegistry } from '../charts/registry'
import type { ChartTheme } from '../charts/theme'
import { client } from '../client'
import { callIfPresent, hasRoute } from '../client/optional'
import type { Comparison } from '../stores/compare'
import type { ExportTarget } from '../stores/export'
import { composeCharts, renderChartImage } from './chart-image'
import { toCsv } from './csv'
import { base64ToBlob, dataUrlToBlob, downloadBlob, safeName } from './download'
import { comparisonMarkdown, htmlPage, runFacts, runMarkdown } from './report-text'

// What each export does. Report formats come from the reports engine (`reports.render`) when
// this build has it; until then HTML, Markdown, JSON and CSV are written here, and PDF says
// what it needs.

export type Format = 'pdf' | 'png' | 'svg' | 'jpeg' | 'html' | 'md' | 'json' | 'csv' | 'ndjson' | 'bundle'

export const FORMATS_FOR: Record<ExportTarget['kind'], Format[]> = {
  chart: ['png', 'svg', 'jpeg', 'csv', 'json'],
  dashboard: ['png', 'jpeg', 'pdf', 'html', 'md', 'json', 'csv'],
  run: ['pdf', 'html', 'md', 'json', 'csv', 'bundle'],
  comparison: ['pdf', 'html', 'md', 'json', 'csv'],
  runs: ['csv', 'json', 'ndjson', 'bundle'],
}

/**
 * Whether an export can be anonymized: the ones the core writes (reports, CSV/NDJSON exports,
 * bundles). Pictures of charts and tables built from what is on screen carry the names shown.
 */
export function canAnonymize(kind: ExportTarget['kind'], f: Format): boolean {
  if (kind === 'chart' || f === 'png' || f === 'jpeg' || f === 'svg') return false
  if (kind === 'comparison') return f !== 'csv'
  if (kind === 'runs') return f !== 'json'
  return true
}

export interface ExportOptions {
  format: Format
  width: number
  height: number
  scale: number
  pageSize: 'A4' | 'Letter'
  landscape: boolean
  theme: ChartTheme
  /** Pseudonyms instead of names (see the README's "Anonymized export"); only where canAnonymize says so. */
  anonymize?: { salt?: string }
}

export interface ExportContext {
  run: RunSummary | null
  analysis: RunAnalysis | null
  comparisons: Comparison[]
  runs: RunSummary[]
  label(ref: string): string
}

const MIME: Record<Format, string> = {
  pdf: 'application/pdf', png: 'image/png', svg: 'image/svg+xml', jpeg: 'image/jpeg', html: 'text/html', md: 'text/markdown',
  json: 'application/json', csv: 'text/csv', ndjson: 'application/x-ndjson', bundle: 'application/vnd.sqlite3',
}
const EXT: Record<Format, string> = { pdf: 'pdf', png: 'png', svg: 'svg', jpeg: 'jpg', html: 'html', md: 'md', json: 'json', csv: 'csv', ndjson: 'ndjson', bundle: 'swarmscope' }

interface Rendered {
  content: string
  encoding: 'utf8' | 'base64'
  mimeType: string
}

/** The reports engine's rendering of a run or comparison, or null when this build has none. */
async function fromReports(target: string, format: 'pdf' | 'html' | 'md' | 'json', o: ExportOptions): Promise<Blob | null> {
  if (!hasRoute('reports.render')) {
    if (o.anonymize) throw new Error('an anonymized report needs the reports engine (reports.render), which this build does not have')
    return null
  }
  const res = await callIfPresent<Rendered>('reports.render', { target, format, pageSize: o.pageSize, landscape: o.landscape, anonymize: o.anonymize })
  if (!res.ok) throw new Error(res.error.message)
  return res.data.encoding === 'base64' ? base64ToBlob(res.data.content, res.data.mimeType) : new Blob([res.data.content], { type: res.data.mimeType })
}

const text = (s: string, f: Format) => new Blob([s], { type: `${MIME[f]};charset=utf-8` })

/** Exports and downloads; returns the file name, or throws with a message for the dialog. */
export async function runExport(t: ExportTarget, o: ExportOptions, ctx: ExportContext): Promise<string> {
  const f = o.format
  if (o.anonymize && !canAnonymize(t.kind, f)) throw new Error(`a ${f.toUpperCase()} of this cannot be anonymized; untick Anonymize or choose another format`)
  // An anonymized file is not named after the run either.
  const base = o.anonymize ? `anonymized-${t.kind}` : safeName(t.kind === 'comparison' ? `comparison-${ctx.label(t.baseline ?? '')}` : t.kind === 'runs' ? 'runs' : (ctx.run?.name ?? 'run'))
  const save = (blob: Blob, suffix = '') => {
    const name = `${base}${suffix}.${EXT[f]}`
    downloadBlob(blob, name)
    return name
  }
  if (f === 'bundle') {
    const runIds = t.kind === 'runs' ? ctx.runs.map((r) => r.id) : [ctx.run?.id ?? t.runId ?? '']
    const res = await client.call('bundle.export', { runIds, anonymize: o.anonymize })
    if (!res.ok) throw new Error(res.error.message)
    return save(base64ToBlob(res.data.file!.content, MIME.bundle))
  }

  if (t.kind === 'chart') {
    const c = chartRegistry.get(t.chartId ?? '')
    if (!c) throw new Error('that chart is no longer on screen')
    const suffix = `-${safeName(c.title)}`
    if (f === 'png' || f === 'jpeg' || f === 'svg') return save(dataUrlToBlob(renderChartImage(c.option, o.theme, { type: f, width: o.width, height: o.height, scale: o.scale })), suffix)
    const table = c.table?.() ?? { header: [], rows: [] }
    if (f === 'csv') return save(text(toCsv(table.header, table.rows), f), suffix)
    return save(text(JSON.stringify(table.rows.map((r) => Object.fromEntries(table.header.map((h, i) => [h, r[i]]))), null, 2), f), suffix)
  }

  if (t.kind === 'runs') {
    const chosen = ctx.runs
    if (f === 'ndjson' || (f === 'csv' && o.anonymize)) {
      const res = await client.call('export.runs', { runs: chosen.map((r) => r.id), format: f, csvTable: 'runs', anonymize: o.anonymize })
      if (!res.ok) throw new Error(res.error.message)
      return save(text(res.data.content, f))
    }
    if (f === 'json') return save(text(JSON.stringify(chosen, null, 2), f))
    return save(text(toCsv(['id', 'name', 'source', 'group', 'started_at', 'duration_ms', 'llm_calls', 'tool_calls', 'errors', 'input_tokens', 'output_tokens', 'cache_write_tokens', 'cache_read_tokens', 'cost_usd'],
      chosen.map((r) => [r.id, r.name, r.source, r.group, r.startedAt, r.durationMs, r.llmCalls, r.toolCalls, r.errors, r.inputTokens, r.outputTokens, r.cacheCreationTokens, r.cacheReadTokens, r.costUsd])), f))
  }

  if (t.kind === 'comparison') {
    const target = `${t.baseline}..${(t.candidates ?? []).join(',')}`
    if (f === 'pdf' || f === 'html' || f === 'md' || f === 'json') {
      const blob = await fromReports(target, f, o)
      if (blob) return save(blob)
    }
    if (f === 'pdf') throw new Error('PDF needs the reports engine (reports.render), which this build does not have yet; export HTML and print it instead')
    if (f === 'json') return save(text(JSON.stringify({ comparisons: ctx.comparisons }, null, 2), f))
    if (f === 'csv') return save(text(toCsv(['candidate', 'metric', 'unit', 'baseline_mean', 'candidate_mean', 'change_pct', 'p_value', 'verdict'],
      ctx.comparisons.flatMap((c) => c.metrics.map((m) => [c.candidateRef, m.metric, m.unit, m.baseline.mean, m.candidate.mean, m.changePct, m.pValue, m.verdict]))), f))
    const md = comparisonMarkdown(ctx.comparisons, ctx.label)
    if (f === 'md') return save(text(md, f))
    return save(text(htmlPage('Comparison', md, chartImages(['chart-compare-matrix', 'chart-compare-distributions', 'chart-compare-differential'], o)), f))
  }

  // A run: its dashboard (the charts on screen) or its report.
  const run = ctx.run
  if (!run) throw new Error('the run is not loaded yet')
  if (t.kind === 'dashboard' && (f === 'png' || f === 'jpeg')) {
    const charts = chartRegistry.all().filter((c) => c.id.startsWith('chart-') && !c.id.startsWith('chart-compare') && !c.id.startsWith('chart-live'))
    return save(await composeCharts(charts.map((c) => ({ title: c.title, option: c.option })), o.theme, { type: f, width: o.width, scale: o.scale, heading: run.name }), '-dashboard')
  }
  if (f === 'pdf' || f === 'html' || f === 'md' || f === 'json') {
    const blob = await fromReports(run.id, f, o)
    if (blob) return save(blob, '-report')
  }
  if (f === 'pdf') throw new Error('PDF needs the reports engine (reports.render), which this build does not have yet; export HTML and print it instead')
  if (f === 'json') return save(text(JSON.stringify({ run, analysis: ctx.analysis }, null, 2), f), '-report')
  if (f === 'csv') {
    // export.run is a GET: an anonymize request travels in the body of export.runs.
    const res = o.anonymize ? await client.call('export.runs', { runs: [run.id], format: 'csv', anonymize: o.anonymize }) : await client.call('export.run', { id: run.id, format: 'csv' })
    if (res.ok) return save(text(res.data.content, f), '-spans')
    if (o.anonymize) throw new Error(res.error.message)
    return save(text(toCsv(['figure', 'value'], runFacts(run)), f), '-summary')
  }
  const md = runMarkdown(run, ctx.analysis)
  if (f === 'md') return save(text(md, f), '-report')
  return save(text(htmlPage(run.name, md, chartImages(chartRegistry.all().map((c) => c.id).filter((id) => id.startsWith('chart-')), o)), f), '-report')
}

function chartImages(ids: string[], o: ExportOptions) {
  return ids.flatMap((id) => {
    const c = chartRegistry.get(id)
    return c ? [{ title: c.title, dataUrl: renderChartImage(c.option, o.theme, { type: 'png', width: 900, height: 420, scale: 1 }) }] : []
  })
}
