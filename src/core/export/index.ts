import type { Database } from 'better-sqlite3'
import type { ExportFormat, ExportResult } from '../../shared/integrations-dto'
import { getRun } from '../queries/runs'
import { RUN_COLUMNS, SPAN_COLUMNS, csvHeader, runCsvRow, spansCsvRows } from './csv'
import { loadRunData } from './load'
import { runToNdjson } from './ndjson'
import { runToOtlp } from './otlp'

const CONTENT_TYPE: Record<ExportFormat, string> = {
  ndjson: 'application/x-ndjson',
  otlp: 'application/json',
  csv: 'text/csv; charset=utf-8',
}

const fileStem = (runIds: string[]) => (runIds.length === 1 ? runIds[0].replace(/[^\w.-]+/g, '_').slice(0, 80) : `swarmscope-${runIds.length}-runs`)

/**
 * Runs as one file's content. NDJSON holds one run after the other, OTLP one export request
 * with a resource per run, CSV one table.
 */
export function exportRuns(db: Database, runIds: string[], format: ExportFormat, csvTable: 'spans' | 'runs' = 'spans'): ExportResult {
  // Appended one by one, never as push(...lines): a run's 300,000 lines spread as arguments
  // overflowed the call stack ("Maximum call stack size exceeded").
  const lines: string[] = []
  let records = 0
  if (format === 'csv' && csvTable === 'runs') {
    lines.push(csvHeader(RUN_COLUMNS))
    for (const id of runIds) lines.push(runCsvRow(getRun(db, id)))
    records = runIds.length
  } else {
    if (format === 'csv') lines.push(csvHeader(SPAN_COLUMNS))
    // OTLP: one export request holding a resource per run (readers take a request of any size; a line-per-request file is cut at 64 KiB lines by some).
    const otlp = { resourceSpans: [] as unknown[], resourceMetrics: [] as unknown[] }
    runIds.forEach((id, i) => {
      const data = loadRunData(db, id)
      if (format === 'ndjson') {
        const out = runToNdjson(data, i === 0)
        records += out.length
        for (const line of out) lines.push(line)
      } else if (format === 'otlp') {
        const req = runToOtlp(data)
        records += req.resourceSpans[0].scopeSpans[0].spans.length
        otlp.resourceSpans.push(...req.resourceSpans)
        otlp.resourceMetrics.push(...req.resourceMetrics)
      } else {
        const rows = spansCsvRows(data)
        records += rows.length
        for (const row of rows) lines.push(row)
      }
    })
    if (format === 'otlp') lines.push(JSON.stringify(otlp))
  }
  const ext = format === 'ndjson' ? 'ndjson' : format === 'otlp' ? 'otlp.json' : csvTable === 'runs' ? 'runs.csv' : 'spans.csv'
  const eol = format === 'csv' ? '\r\n' : '\n'
  return {
    format,
    contentType: CONTENT_TYPE[format],
    filename: `${fileStem(runIds)}.${ext}`,
    runIds,
    records,
    content: lines.length ? lines.join(eol) + eol : '',
  }
}
