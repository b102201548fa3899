import { useCallback, useEffect, useMemo, useState } from 'react'
import { duration, usd } from '../../../../shared/format'
import { EChart } from '../../charts/EChart'
import type { ChartTheme } from '../../charts/theme'
import { client } from '../../client'
import { navigate, paths } from '../../lib/router'
import { useCompare, DEFAULT_WEIGHTS, VERDICT_LABEL, type Criterion } from '../../stores/compare'
import { useExport } from '../../stores/export'
import { useRuns } from '../../stores/runs'
import { differentialOption, distributionsOption, matrixOption, rankingOption, type Distribution } from './compare-charts'
import { RefPicker } from './RefPicker'

const fmtValue = (unit: string, v: number | null) =>
  v === null ? '—' : unit === 'ms' ? duration(Math.round(v)) : unit === 'USD' ? usd(v) : unit === 'fraction' ? `${(100 * v).toFixed(1)} %` : v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(2)
const fmtChange = (c: number | null) => (c === null ? '—' : `${c > 0 ? '+' : ''}${c.toFixed(1)} %`)

/** LLM latency histograms of each side (a group: its first 8 runs, merged). */
function useDistributions(refs: string[], label: (r: string) => string): Distribution[] {
  const runs = useRuns((s) => s.runs)
  const [ds, setDs] = useState<Distribution[]>([])
  useEffect(() => {
    let live = true
    void Promise.all(
      refs.map(async (ref) => {
        const ids = ref.startsWith('group:') ? runs.filter((r) => r.group === ref.slice(6)).slice(0, 8).map((r) => r.id) : [ref]
        const parts = await Promise.all(ids.map((id) => client.call('spans.breakdown', { id, maxPoints: 100 })))
        const hs = parts.flatMap((p) => (p.ok && p.data.llmLatency.counts.length ? [p.data.llmLatency] : []))
        if (hs.length === 0) return null
        // Re-bin every run of the side onto 40 common bins.
        const lo = Math.min(...hs.map((h) => h.edges[0]))
        const hi = Math.max(...hs.map((h) => h.edges[h.edges.length - 1]))
        const w = Math.max(1, (hi - lo) / 40)
        const counts = new Array<number>(40).fill(0)
        // Each source bin's calls are spread over the common bins it overlaps, in proportion.
        for (const h of hs)
          h.counts.forEach((c, i) => {
            const a = h.edges[i]
            const b = Math.max(h.edges[i + 1], a + 1e-9)
            for (let k = Math.max(0, Math.floor((a - lo) / w)); k < 40 && lo + k * w < b; k++) {
              const overlap = Math.min(b, lo + (k + 1) * w) - Math.max(a, lo + k * w)
              if (overlap > 0) counts[k] += (c * overlap) / (b - a)
            }
          })
        return { label: label(ref), edges: Array.from({ length: 41 }, (_, i) => lo + i * w), counts }
      }),
    ).then((r) => live && setDs(r.filter((x): x is Distribution => x !== null)))
    return () => {
      live = false
    }
  }, [refs, runs, label])
  return ds
}

export function CompareScreen({ params }: { params: URLSearchParams }) {
  const baseline = params.get('b') ?? ''
  const candidates = useMemo(() => (params.get('c') ?? '').split(',').filter(Boolean), [params])
  const runs = useRuns((s) => s.runs)
  const { status, error, comparisons, weights } = useCompare()
  const [diffBy, setDiffBy] = useState<'time' | 'cost'>('time')
  const [diffIndex, setDiffIndex] = useState(0)
  const ready = baseline !== '' && candidates.length > 0

  const label = useCallback((ref: string) => (ref.startsWith('group:') ? `group ${ref.slice(6)}` : (runs.find((r) => r.id === ref)?.name ?? ref)), [runs])
  const refs = useMemo(() => (ready ? [baseline, ...candidates] : []), [ready, baseline, candidates])
  const distributions = useDistributions(refs, label)

  useEffect(() => {
    if (!ready) return
    const t = window.setTimeout(() => void useCompare.getState().run(baseline, candidates), 200)
    return () => window.clearTimeout(t)
  }, [ready, baseline, candidates, weights])

  const labels = useMemo(() => candidates.map(label), [candidates, label])
  const matrix = useCallback((t: ChartTheme) => matrixOption(comparisons, labels, t), [comparisons, labels])
  const dist = useCallback(() => distributionsOption(distributions), [distributions])
  const diff = useCallback((t: ChartTheme) => (comparisons[diffIndex] ? differentialOption(comparisons[diffIndex], diffBy, t) : {}), [comparisons, diffIndex, diffBy])
  const ranking = useCallback(() => rankingOption(comparisons, labels), [comparisons, labels])

  const makeBaseline = (ref: string) => navigate(paths.compare(ref, refs.filter((r) => r !== ref)))

  return (
    <section className="compare" aria-label="Compare runs">
      <header className="run-header">
        <div>
          <h1>Compare</h1>
          <p className="muted">Pick a baseline and 1–3 candidates: runs, or groups of runs (each run of a group is one sample). Tests: Mann–Whitney with Holm correction; a change counts when it is significant and at least a small effect.</p>
        </div>
        {ready && status === 'ready' && <button className="primary" onClick={() => useExport.getState().open({ kind: 'comparison', baseline, candidates })} data-testid="export-comparison">Export…</button>}
      </header>
      <RefPicker baseline={baseline} candidates={candidates} />
      {!ready && <p className="empty">Choose a baseline and at least one candidate above — or tick 2–4 runs in the <a href="#/">runs library</a> and press Compare.</p>}
      {ready && status === 'loading' && comparisons.length === 0 && <p className="muted loading">Comparing…</p>}
      {ready && status === 'error' && <p className="error" role="alert">{error}</p>}
      {ready && comparisons.length > 0 && (
        <>
          <div className="panel">
            <h3>Key figures</h3>
            <div className="table-scroll">
              <table className="kpi-columns" data-testid="compare-table">
                <thead>
                  <tr>
                    <th>Metric</th>
                    <th>{label(baseline)} <span className="badge neutral">baseline</span></th>
                    {candidates.map((c) => <th key={c}>{label(c)} <button className="link" onClick={() => makeBaseline(c)} title="Use as baseline">make baseline</button></th>)}
                  </tr>
                </thead>
                <tbody>
                  {comparisons[0].metrics.map((m, row) => (
                    <tr key={m.metric} data-metric={m.metric}>
                      <th>{m.label}<span className="muted small"> {m.direction === 'lower-is-better' ? '↓ better' : '↑ better'}</span></th>
                      <td data-testid={`cmp-base-${m.metric}`} data-value={m.baseline.mean ?? ''}>{fmtValue(m.unit, m.baseline.mean)} <span className="muted small">n={m.baseline.n}</span></td>
                      {comparisons.map((c, i) => {
                        const x = c.metrics[row]
                        return (
                          <td key={i} data-testid={`cmp-${i}-${m.metric}`} data-verdict={x.verdict} data-value={x.candidate.mean ?? ''} data-change={x.changePct ?? ''}>
                            {fmtValue(x.unit, x.candidate.mean)} <span className="change">{fmtChange(x.changePct)}</span>{' '}
                            <span className={`badge ${x.verdict}`} title={`${x.reason}${x.pValue !== null ? ` (p = ${x.pValue.toPrecision(2)})` : ''}`}>{VERDICT_LABEL[x.verdict]}</span>
                          </td>
                        )
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
          <div className="grid-2">
            <section className="panel"><h3>Comparison matrix</h3><EChart option={matrix} height={Math.max(260, 40 + 34 * comparisons[0].metrics.length)} testId="chart-compare-matrix" title="Comparison matrix" /></section>
            <section className="panel"><h3>LLM latency distributions</h3><EChart option={dist} height={300} testId="chart-compare-distributions" title="Latency distributions" /></section>
          </div>
          <div className="grid-2">
            <section className="panel">
              <h3>
                Where it changed, per agent and tool{' '}
                <select value={diffBy} onChange={(e) => setDiffBy(e.target.value as 'time' | 'cost')} aria-label="Difference in"><option value="time">time</option><option value="cost">cost</option></select>
                {comparisons.length > 1 && <select value={diffIndex} onChange={(e) => setDiffIndex(Number(e.target.value))} aria-label="Candidate">{labels.map((l, i) => <option key={i} value={i}>{l}</option>)}</select>}
              </h3>
              <EChart option={diff} height={300} testId="chart-compare-differential" title="Differences per agent and tool" />
            </section>
            <section className="panel">
              <h3>Ranking</h3>
              <div className="weights" data-testid="weights">
                {(Object.keys(DEFAULT_WEIGHTS) as Criterion[]).map((c) => (
                  <label key={c}>{c} <input type="range" min={0} max={1} step={0.05} value={weights[c]} onChange={(e) => useCompare.getState().setWeight(c, Number(e.target.value))} data-testid={`weight-${c}`} /> <span className="num">{weights[c].toFixed(2)}</span></label>
                ))}
              </div>
              <ul className="ranking" data-testid="ranking">
                {comparisons.map((c, i) => (
                  <li key={i} data-preferred={c.ranking.preferred} data-score={c.ranking.score}>{labels[i]}: score {c.ranking.score.toFixed(3)} → {c.ranking.preferred === 'tie' ? 'a tie' : c.ranking.preferred === 'candidate' ? 'candidate preferred' : 'baseline preferred'}</li>
                ))}
              </ul>
              <EChart option={ranking} height={160 + 30 * comparisons.length} testId="chart-compare-ranking" title="Ranking" />
            </section>
          </div>
          {comparisons.some((c) => c.recommendations.length > 0) && (
            <section className="panel">
              <h3>Recommendations</h3>
              <ul className="recommendations">
                {comparisons.flatMap((c, i) => c.recommendations.map((r, k) => <li key={`${i}-${k}`} className={`sev-${r.severity}`}><strong>{labels[i]}:</strong> {r.message}</li>))}
              </ul>
            </section>
          )}
        </>
      )}
    </section>
  )
}
