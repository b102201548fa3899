import type { MetricComparison, RunComparison } from '../../shared/analysis-dto'
import type { RunSummary } from '../../shared/dto'
import { usd } from '../../shared/format'
import type { Cell, ReportVerdict } from '../../shared/report-model'
import * as f from '../analysis/format'
import { type ModelBody, reportRun } from './build-run'
import * as c from './cells'
import { comparisonCharts } from './charts/specs'

// The comparison report: baseline against each candidate, one verdict per metric (the model's
// `verdicts`), from the output of compare.runs exactly as the CLI's `compare` prints it.

export type Comparison = RunComparison & { candidateRef: string; baselineRef: string }

function byUnit(x: number | null, unit: string): Cell {
  if (x === null) return c.text(null)
  if (unit === 'ms') return c.millis(x)
  if (unit === 'USD') return c.money(x)
  if (unit === 'fraction') return c.share(x, 1)
  return { v: x, t: `${f.num(x, 3)} ${unit}` }
}

const VERDICT_TEXT = { improved: 'improved', regressed: 'regressed', 'no-significant-change': 'no significant change', 'insufficient-data': 'insufficient data' } as const

function verdictOf(cmp: Comparison, m: MetricComparison): ReportVerdict {
  return {
    candidateRef: cmp.candidateRef, metric: m.metric, label: m.label, verdict: m.verdict, verdictText: VERDICT_TEXT[m.verdict], nText: `${m.baseline.n} / ${m.candidate.n}`,
    baselineText: byUnit(m.baseline.mean, m.unit).t, candidateText: byUnit(m.candidate.mean, m.unit).t,
    changeText: c.signed(m.changePct).t, pValue: m.pValue, pText: f.p(m.pValue),
    effectText: m.cliffsDelta === null ? '—' : `δ = ${m.cliffsDelta.toFixed(2)}`, reason: m.reason,
  }
}

function tablesOf(cmp: Comparison, n: number) {
  const suffix = n > 1 ? ` (${cmp.candidateRef})` : ''
  const slug = n > 1 ? `-${cmp.candidateRef.replace(/[^a-z0-9]+/gi, '-').toLowerCase().replace(/^-|-$/g, '')}` : ''
  const ranking = c.table(`ranking${slug}`, `Ranking${suffix}`, [['criterion', 'left'], ['metric', 'left'], ['weight', 'right'], ['improvement', 'right'], ['significant', 'left'], ['contribution', 'right']],
    cmp.ranking.criteria.map((r) => [c.text(r.criterion), c.text(r.metric), c.fixed(r.weight), c.fixed(r.improvement, 3), c.text(r.significant ? 'yes' : 'no'), c.fixed(r.contribution, 3)]))
  const breakdown = c.table(`breakdown${slug}`, `Where cost and time moved, per run${suffix}`, [['dimension', 'left'], ['key', 'left'], ['Δ cost', 'right'], ['share of Δ cost', 'right'], ['Δ time', 'right'], ['Δ tokens', 'right'], ['Δ errors', 'right'], ['latency p', 'right']],
    cmp.breakdown.byCost.map((r) => [c.text(r.dimension), c.text(r.key), c.money(r.deltaCostUsd), c.share(r.shareOfCostChange), c.millis(r.deltaTimeMs), c.int(r.deltaTokens), c.int(r.deltaErrors), c.pValue(r.latencyPValue)]), 20)
  return [ranking, breakdown]
}

export function buildComparisonBody(target: string, baseline: string, comparisons: Comparison[], runs: RunSummary[]): ModelBody {
  const verdicts = comparisons.flatMap((cmp) => cmp.metrics.map((m) => verdictOf(cmp, m)))
  const count = (cmp: Comparison, v: MetricComparison['verdict']) => cmp.metrics.filter((m) => m.verdict === v)
  const summary = comparisons.map((cmp) => {
    const reg = count(cmp, 'regressed')
    const imp = count(cmp, 'improved')
    const list = (ms: MetricComparison[]) => ms.map((m) => `${m.label} ${c.signed(m.changePct).t} (${f.p(m.pValue)})`).join(', ')
    const parts = [
      reg.length ? `${reg.length} regressed: ${list(reg)}` : 'nothing regressed',
      imp.length ? `${imp.length} improved: ${list(imp)}` : 'nothing improved',
      `${count(cmp, 'no-significant-change').length} without significant change`,
      count(cmp, 'insufficient-data').length ? `${count(cmp, 'insufficient-data').length} with too little data` : '',
    ].filter(Boolean)
    return {
      text: `${cmp.candidateRef} against ${baseline}: ${parts.join('; ')}. Overall the ${cmp.ranking.preferred === 'tie' ? 'two are tied' : `${cmp.ranking.preferred} is preferred`} (score ${cmp.ranking.score.toFixed(2)}).`,
      evidence: { regressed: reg.length, improved: imp.length, score: cmp.ranking.score, preferred: cmp.ranking.preferred, baselineRuns: cmp.baseline.runs, candidateRuns: cmp.candidate.runs },
    }
  })
  const first = comparisons[0]
  const regressed = comparisons.reduce((t, cmp) => t + count(cmp, 'regressed').length, 0)
  const improved = comparisons.reduce((t, cmp) => t + count(cmp, 'improved').length, 0)
  const costOf = (ids: string[]) => runs.filter((r) => ids.includes(r.id)).reduce((t, r) => t + r.costUsd, 0)
  const baseIds = first.baseline.units.flat()
  const s = first.settings
  return {
    subject: `${baseline} vs ${comparisons.map((x) => x.candidateRef).join(', ')}`,
    scope: { kind: 'comparison', target, description: `Baseline ${baseline} (${first.baseline.runs} run${first.baseline.runs === 1 ? '' : 's'}) against ${comparisons.map((x) => `${x.candidateRef} (${x.candidate.runs})`).join(', ')}`, baseline, candidates: comparisons.map((x) => x.candidateRef), runs: runs.map(reportRun) },
    summary,
    kpis: [
      c.kpi('baseline-runs', 'Baseline runs', 'runs', c.int(first.baseline.runs), `cost ${usd(costOf(baseIds))}`),
      c.kpi('candidates', 'Candidates', 'candidates', c.int(comparisons.length)),
      c.kpi('regressed', 'Regressed metrics', 'metrics', c.int(regressed)),
      c.kpi('improved', 'Improved metrics', 'metrics', c.int(improved)),
      c.kpi('preferred', 'Preferred', '', c.text(comparisons.length === 1 ? first.ranking.preferred : comparisons.map((x) => x.ranking.preferred).join(' / '))),
      c.kpi('mode', 'Compared', '', c.text(first.mode === 'spans' ? 'span by span' : 'run by run')),
    ],
    charts: comparisonCharts(comparisons),
    tables: comparisons.flatMap((cmp) => tablesOf(cmp, comparisons.length)),
    verdicts,
    anomalies: [],
    insights: [],
    recommendations: comparisons.flatMap((cmp) => cmp.recommendations.map((r) => ({ severity: r.severity, message: comparisons.length > 1 ? `${cmp.candidateRef}: ${r.message}` : r.message, basis: `metric ${r.metric}`, evidence: r.evidence }))),
    methodology: [
      { topic: 'Units', text: first.mode === 'spans' ? 'Each side is one run, compared span by span: every LLM or tool call is one sample.' : 'Each side is a group of runs, compared run by run: each run gives one value per metric, as the spans of one run are not independent.' },
      { topic: 'Tests', text: `Verdicts rest on ${s.test === 'welch' ? "Welch's t-test" : 'the Mann–Whitney U test'} at α = ${s.alpha}, Holm-adjusted over the ${first.metrics.length} metrics; a change also needs |Cliff's δ| ≥ ${s.minEffect} and at least ${s.minSamples} values per side. Differences of means carry a bootstrap interval.` },
      { topic: 'Sample sizes', text: comparisons.map((cmp) => `${cmp.candidateRef}: ${cmp.metrics.map((m) => `${m.label} ${m.baseline.n}/${m.candidate.n}`).join(', ')}`).join('. ') + ' (baseline/candidate).' },
      { topic: 'Ranking', text: 'The score sums weight × relative improvement over the criteria whose change is significant; positive prefers the candidate.' },
    ],
  }
}
