import type { Database } from 'better-sqlite3'
import type { RenderResult } from '../../shared/routes/reports'
import type { ChartKind } from '../../shared/report-model'
import { resolveRunId } from '../queries/runs'
import { metricChart } from './charts/metrics'
import { renderChartSvg } from './charts/svg'
import { withPrinter } from './render/printer'

// One chart of one run's metric as SVG (ECharts, no browser) or as PNG/JPEG (that SVG drawn by
// Chromium at the asked size and pixel ratio).

export interface VisualizeRequest {
  id: string
  chart: ChartKind
  metric: string
  format: 'svg' | 'png' | 'jpeg'
  width: number
  height: number
  scale: number
}

export async function renderChartFile(db: Database, req: VisualizeRequest): Promise<RenderResult> {
  const runId = resolveRunId(db, req.id)
  const spec = metricChart(db, runId, req.chart, req.metric, req.width)
  const svg = await renderChartSvg(spec, { width: req.width, height: req.height })
  const name = `${spec.id}-${req.chart}.${req.format === 'jpeg' ? 'jpg' : req.format}`
  if (req.format === 'svg') return { name, mimeType: 'image/svg+xml', encoding: 'utf8', content: svg, bytes: Buffer.byteLength(svg), format: 'svg', files: [], cached: false }
  const page = `<!doctype html><html><head><meta charset="utf-8"><style>html,body{margin:0;background:#fff}svg{display:block}</style></head><body>${svg}</body></html>`
  const img = await withPrinter((p) => p.screenshot(page, { width: req.width, height: req.height, scale: req.scale, type: req.format as 'png' | 'jpeg' }))
  return { name, mimeType: `image/${req.format}`, encoding: 'base64', content: img.toString('base64'), bytes: img.length, format: req.format, files: [], cached: false }
}
