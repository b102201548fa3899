import type { Database } from 'better-sqlite3'
import { REPORT_SCHEMA_VERSION, type ReportModel } from '../../shared/report-model'
import type { AnonymizeRequest } from '../../shared/anonymize'
import type { RenderedFile, RenderRequest, RenderResult } from '../../shared/routes/reports'
import { CoreError } from '../../shared/result'
import { VERSION } from '../../shared/version'
import { compareRuns } from '../analysis'
import { cachedAnalysis, expandRef } from '../handlers/analysis'
import { withAnonymizedView } from '../privacy/anonymized-view'
import { getRun, runOverview } from '../queries/runs'
import type { Store } from '../store/open'
import type { WriteQueue } from '../write-queue'
import { buildComparisonBody } from './build-comparison'
import { buildGroupBody } from './build-group'
import { buildRunBody, type ModelBody } from './build-run'
import { cacheGet, cacheKey, cachePut } from './cache'
import { renderChartSvg, renderChartSvgs } from './charts/svg'
import { renderHtml, renderMarkdown } from './render/documents'
import { startPrinter } from './render/printer'
import { parseScope, type Scope, scopeRunIds } from './scope'
import { resolveTemplate, type TemplateDef } from './templates/registry'
import { ANALYSIS_VERSION } from './version'

// One pipeline for every format: scope → analysis → report model → layout. The JSON format is
// the model itself; Markdown, HTML and PDF lay out that same model.

export interface ReportDeps {
  store: Store
  writes: WriteQueue
  templatesDir: string
}

const REPORT_CHART = { width: 480, height: 300 }
const MIME = { json: 'application/json', md: 'text/markdown', html: 'text/html', pdf: 'application/pdf' } as const

/** The analysis is the one the dashboard shows (cached per run version, yielding while it runs), so a report after a look at the run costs no second analysis. */
async function buildBody(db: Database, scope: Scope, seed: number | undefined): Promise<ModelBody> {
  if (scope.kind === 'run') return buildRunBody(getRun(db, scope.runId), await cachedAnalysis(db, scope.runId, seed), runOverview(db, scope.runId, 200), seed)
  if (scope.kind === 'group') {
    const runs = []
    for (const id of scope.runIds) runs.push({ run: getRun(db, id), analysis: await cachedAnalysis(db, id, seed) })
    return buildGroupBody(scope.group, runs)
  }
  const baseline = expandRef(db, scope.baseline)
  const comparisons = scope.candidates.map((ref) => ({ baselineRef: scope.baseline, candidateRef: ref, ...compareRuns(db, baseline, expandRef(db, ref), { seed }) }))
  return buildComparisonBody(scope.target, scope.baseline, comparisons, scope.runIds.map((id) => getRun(db, id)))
}

/** The template's selection of the body: what it leaves out is not in any format, JSON included. */
export function applyTemplate(body: ModelBody, t: TemplateDef, generatedAt = new Date()): ReportModel {
  const s = t.sections
  const choose = <T extends { id: string }>(list: T[], pick: 'all' | string[]) => (pick === 'all' ? list : list.filter((x) => pick.includes(x.id)))
  const { subject, ...rest } = body
  return {
    schema: 'swarmscope.report',
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: generatedAt.toISOString(),
    generator: { name: 'swarmscope', version: VERSION, analysisVersion: ANALYSIS_VERSION },
    template: { id: t.id, title: t.title },
    title: `${t.titlePrefix}: ${subject}`,
    ...rest,
    summary: s.summary ? rest.summary : [],
    kpis: rest.kpis.slice(0, s.kpis),
    charts: choose(rest.charts, s.charts),
    tables: choose(rest.tables, s.tables),
    verdicts: s.verdicts ? rest.verdicts : [],
    insights: rest.insights.slice(0, s.insights),
    recommendations: rest.recommendations.slice(0, s.recommendations),
    anomalies: rest.anomalies.slice(0, s.anomalies),
    methodology: s.methodology ? rest.methodology : [],
  }
}

const text = (name: string, mimeType: string, content: string): RenderedFile => ({ name, mimeType, encoding: 'utf8', content, bytes: Buffer.byteLength(content) })
const binary = (name: string, mimeType: string, content: Buffer): RenderedFile => ({ name, mimeType, encoding: 'base64', content: content.toString('base64'), bytes: content.length })

export async function renderModel(model: ReportModel, t: TemplateDef, format: 'json' | 'md' | 'html' | 'pdf', baseName: string, printer?: ReturnType<typeof startPrinter>): Promise<Omit<RenderResult, 'cached'>> {
  if (format === 'json') return { ...text(`${baseName}.json`, MIME.json, JSON.stringify(model, null, 2) + '\n'), format, files: [] }
  if (format === 'md') {
    const md = renderMarkdown(model, t, baseName)
    const files = await Promise.all(md.charts.map(async (c) => text(c.path, 'image/svg+xml', await renderChartSvg(c.chart, REPORT_CHART))))
    return { ...text(`${baseName}.md`, MIME.md, md.text), format, files }
  }
  const html = renderHtml(model, t, await renderChartSvgs(model.charts, REPORT_CHART))
  if (format === 'html') return { ...text(`${baseName}.html`, MIME.html, html), format, files: [] }
  const own = printer ?? startPrinter()
  try {
    const pdf = await own.use((p) => p.pdf(html))
    return { ...binary(`${baseName}.pdf`, MIME.pdf, pdf), format, files: [] }
  } finally {
    if (!printer) await own.close()
  }
}

export type ParsedRenderRequest = Omit<Required<RenderRequest>, 'template' | 'baseName' | 'seed' | 'anonymize'> & { template?: string; baseName?: string; seed?: number; anonymize?: AnonymizeRequest }

export async function renderReport(deps: ReportDeps, req: ParsedRenderRequest): Promise<RenderResult> {
  const { anonymize, ...plain } = req
  if (!anonymize) return render(deps, plain, true)
  // Built from an anonymized copy of the runs it reads, and never cached: a cached rendering is
  // keyed by the real data, and an anonymized one must not be served (or stored) in its place.
  const scope = parseScope(deps.store.read, req.target)
  return withAnonymizedView(deps.store, scopeRunIds(scope), anonymize, {}, async (view) => {
    const result = await render({ ...deps, store: view.store }, { ...plain, target: view.target(req.target) }, false)
    return anonymize.mapping ? { ...result, mapping: view.pseudonymizer.mapping() } : result
  })
}

async function render(deps: ReportDeps, req: Omit<ParsedRenderRequest, 'anonymize'>, cacheable: boolean): Promise<RenderResult> {
  const db = deps.store.read
  const scope = parseScope(db, req.target)
  const t = resolveTemplate(req.template ?? (scope.kind === 'comparison' ? 'comparison' : 'full'), deps.templatesDir)
  if (!t.scopes.includes(scope.kind)) {
    throw new CoreError('bad_request', `template ${t.id} is for ${t.scopes.join(' and ')} reports, not for a ${scope.kind} (${req.target})`)
  }
  const baseName = req.baseName ?? 'report'
  const runIds = scopeRunIds(scope)
  const slot = JSON.stringify([scope.kind, req.target, t.id, t.path, req.format])
  const key = cacheable ? cacheKey(db, { slot, runIds, templateFingerprint: t.fingerprint, options: [req.format, baseName, req.seed ?? null] }) : null
  if (key && req.cache) {
    const hit = cacheGet(db, key)
    if (hit) return hit
  }
  // Chromium starts while the analysis runs.
  const printer = req.format === 'pdf' ? startPrinter() : undefined
  try {
    await printer?.warmUp(300)
    const model = applyTemplate(await buildBody(db, scope, req.seed), t)
    const result: RenderResult = { ...(await renderModel(model, t, req.format, baseName, printer)), cached: false }
    if (key) await deps.writes.run(() => cachePut(deps.store.write, key, slot, runIds, result))
    return result
  } finally {
    await printer?.close()
  }
}
