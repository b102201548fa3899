import { useMemo, useState } from 'react'
import { useRoute } from '../lib/router'
import { chartRegistry } from '../charts/registry'
import { chartTheme } from '../charts/theme'
import { hasRoute } from '../client/optional'
import { canAnonymize, FORMATS_FOR, runExport, type Format } from '../lib/export-actions'
import { useCompare } from '../stores/compare'
import { useExport, type ExportKind, type ExportTarget } from '../stores/export'
import { useRunData } from '../stores/run-data'
import { useRuns } from '../stores/runs'
import { useSettings } from '../stores/settings'
import { Dialog } from './Dialog'

const FORMAT_LABEL: Record<Format, string> = { pdf: 'PDF', png: 'PNG', svg: 'SVG', jpeg: 'JPEG', html: 'HTML', md: 'Markdown', json: 'JSON', csv: 'CSV', ndjson: 'NDJSON', bundle: 'Bundle' }
const KIND_LABEL: Record<ExportKind, string> = { chart: 'A chart', dashboard: 'The dashboard', run: 'A run report', comparison: 'A comparison report', runs: 'The selected runs' }

/** What to export (a chart, the dashboard, a report) and how (format, size, page); the file downloads. */
export function ExportDialog() {
  const target = useExport((s) => s.target)
  if (!target) return null
  return <ExportForm initial={target} />
}

function ExportForm({ initial }: { initial: ExportTarget }) {
  const close = useExport((s) => s.close)
  const anonymize = useExport((s) => s.anonymize)
  const setAnonymize = useExport((s) => s.setAnonymize)
  const [salt, setSalt] = useState('')
  // A chart opened from a run screen belongs to that run: its dashboard and report are on offer too.
  const routeRunId = useRoute((s) => s.route.runId)
  const [target, setTarget] = useState({ ...initial, runId: initial.runId ?? routeRunId })
  const kinds: ExportKind[] = initial.kind === 'comparison' ? ['comparison'] : initial.kind === 'runs' ? ['runs'] : target.runId ? ['chart', 'dashboard', 'run'] : ['chart']
  const charts = chartRegistry.all()
  const formats = FORMATS_FOR[target.kind]
  const [format, setFormat] = useState<Format>(formats[0])
  const [size, setSize] = useState({ width: 1200, height: 600, scale: 2 })
  const [page, setPage] = useState<{ pageSize: 'A4' | 'Letter'; landscape: boolean }>({ pageSize: 'A4', landscape: false })
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null)
  const dark = useSettings((s) => s.dark)
  const scheme = useSettings((s) => s.scheme)
  const runs = useRuns((s) => s.runs)
  const selected = useRuns((s) => s.selected)
  const overview = useRunData((s) => (target.runId ? s.overview[target.runId] : undefined))
  const analysis = useRunData((s) => (target.runId ? s.analysis[target.runId] : undefined))
  const comparisons = useCompare((s) => s.comparisons)
  const fmt = formats.includes(format) ? format : formats[0]
  const image = fmt === 'png' || fmt === 'jpeg' || fmt === 'svg'
  const pdfMissing = fmt === 'pdf' && !hasRoute('reports.render')
  const anonymizable = canAnonymize(target.kind, fmt)

  const label = useMemo(() => (ref: string) => (ref.startsWith('group:') ? `group ${ref.slice(6)}` : (runs.find((r) => r.id === ref)?.name ?? ref)), [runs])
  const go = async () => {
    setBusy(true)
    setResult(null)
    try {
      const anon = anonymizable && anonymize ? { salt: salt.trim() || undefined } : undefined
      const name = await runExport(target, { format: fmt, ...size, ...page, theme: chartTheme(dark, scheme), anonymize: anon }, {
        run: overview?.status === 'ready' ? overview.data.run : null,
        analysis: analysis?.status === 'ready' ? analysis.data : null,
        comparisons,
        runs: runs.filter((r) => selected.has(r.id)),
        label,
      })
      setResult({ ok: true, text: `Saved ${name}` })
    } catch (e) {
      setResult({ ok: false, text: (e as Error).message })
    } finally {
      setBusy(false)
    }
  }

  return (
    <Dialog title="Export" onClose={close} testId="export-dialog">
      <form onSubmit={(e) => (e.preventDefault(), void go())}>
        <fieldset>
          <legend>What</legend>
          {kinds.map((k) => (
            <label key={k} className="choice-line">
              <input type="radio" name="what" checked={target.kind === k} onChange={() => setTarget({ ...target, kind: k, chartId: target.chartId ?? charts[0]?.id })} data-testid={`export-what-${k}`} /> {KIND_LABEL[k]}
            </label>
          ))}
          {target.kind === 'chart' && (
            <select value={target.chartId ?? ''} onChange={(e) => setTarget({ ...target, chartId: e.target.value })} aria-label="Chart" data-testid="export-chart">
              {charts.map((c) => <option key={c.id} value={c.id}>{c.title}</option>)}
            </select>
          )}
        </fieldset>
        <fieldset>
          <legend>How</legend>
          <div className="format-row">
            {formats.map((f) => (
              <label key={f} className={fmt === f ? 'choice on' : 'choice'}>
                <input type="radio" name="format" checked={fmt === f} onChange={() => setFormat(f)} data-testid={`export-format-${f}`} /> {FORMAT_LABEL[f]}
              </label>
            ))}
          </div>
          {image && (
            <div className="size-row">
              <label>Width <input type="number" min={100} max={8000} value={size.width} onChange={(e) => setSize({ ...size, width: Number(e.target.value) })} data-testid="export-width" /></label>
              {target.kind === 'chart' && <label>Height <input type="number" min={100} max={8000} value={size.height} onChange={(e) => setSize({ ...size, height: Number(e.target.value) })} data-testid="export-height" /></label>}
              {fmt !== 'svg' && <label>Scale <select value={size.scale} onChange={(e) => setSize({ ...size, scale: Number(e.target.value) })} data-testid="export-scale">{[1, 2, 3, 4].map((s) => <option key={s} value={s}>{s}×</option>)}</select></label>}
              <span className="muted">{fmt === 'svg' ? `${size.width} × ${size.height}` : `${size.width * size.scale} × ${target.kind === 'chart' ? size.height * size.scale : '…'} pixels`}</span>
            </div>
          )}
          {fmt === 'pdf' && (
            <div className="size-row">
              <label>Page <select value={page.pageSize} onChange={(e) => setPage({ ...page, pageSize: e.target.value as 'A4' | 'Letter' })}><option>A4</option><option>Letter</option></select></label>
              <label><input type="checkbox" checked={page.landscape} onChange={(e) => setPage({ ...page, landscape: e.target.checked })} /> Landscape</label>
            </div>
          )}
          {anonymizable && (
            <div className="size-row">
              <label title="Project, agent, run, session, host, group and tag names become pseudonyms such as agent-3f9a; free text is redacted; numbers stay exact">
                <input type="checkbox" checked={anonymize} onChange={(e) => setAnonymize(e.target.checked)} data-testid="export-anonymize" /> Anonymize
              </label>
              {anonymize && (
                <label>Salt <input value={salt} onChange={(e) => setSalt(e.target.value)} placeholder="optional: same salt, same pseudonyms" maxLength={200} data-testid="export-salt" /></label>
              )}
            </div>
          )}
          {fmt === 'bundle' && <p className="muted">A .swarmscope file: it opens in Swarmscope with the same numbers. Stored prompt text is not included.</p>}
          {pdfMissing && <p className="warn">PDF comes from the reports engine, which this build does not have yet. Export HTML and print it to PDF meanwhile.</p>}
        </fieldset>
        {result && <p className={result.ok ? 'ok' : 'error'} role="status" data-testid="export-result">{result.text}</p>}
        <div className="actions">
          <button type="button" onClick={close}>Close</button>
          <button type="submit" className="primary" disabled={busy || pdfMissing || (target.kind === 'chart' && !target.chartId)} data-testid="export-go">{busy ? 'Exporting…' : `Export ${FORMAT_LABEL[fmt]}`}</button>
        </div>
      </form>
    </Dialog>
  )
}
