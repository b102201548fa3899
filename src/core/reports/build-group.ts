import type { RunAnalysis } from '../../shared/analysis-dto'
import type { RunSummary } from '../../shared/dto'
import { compact, duration, usd } from '../../shared/format'
import type { ReportRecommendation } from '../../shared/report-model'
import { meanConfidenceInterval, median } from '../analysis/stats'
import { type ModelBody, reportRun, toReportAnomalies, toReportInsight } from './build-run'
import * as c from './cells'
import { groupCharts } from './charts/specs'
import { recommendationsFromInsights } from './recommend'

// A group report: each run analysed on its own, then set side by side. Additive figures (cost,
// calls, tokens, tool time) are summed across runs; per-run figures are summarised over runs,
// with a t interval for the mean cost, since the runs are the independent units.

export interface AnalysedRun {
  run: RunSummary
  analysis: RunAnalysis
}

function sumBy<T>(rows: T[], key: (r: T) => string, add: (acc: number[], r: T) => void, width: number): Map<string, number[]> {
  const out = new Map<string, number[]>()
  for (const r of rows) {
    const k = key(r)
    const acc = out.get(k) ?? new Array<number>(width).fill(0)
    add(acc, r)
    out.set(k, acc)
  }
  return out
}

function groupTables(items: AnalysedRun[]) {
  const runs = c.table('runs', 'Runs', [['run', 'left'], ['started', 'left'], ['wall time', 'right'], ['cost', 'right'], ['LLM calls', 'right'], ['tool calls', 'right'], ['tokens', 'right'], ['LLM p95', 'right'], ['errors', 'right']],
    items.map(({ run, analysis: a }) => [c.text(run.name), c.text(run.startedAt?.slice(0, 16).replace('T', ' ') ?? null), c.wall(a.structure.wallMs), c.money(a.attribution.totalCostUsd), c.int(run.llmCalls), c.int(run.toolCalls),
      c.int(run.inputTokens + run.outputTokens + run.cacheCreationTokens + run.cacheReadTokens), c.millis(a.llm.latencyMs.summary.p95), c.int(run.errors)]), 200)
  // Agents are keyed by type (their role): ids differ from run to run.
  const agents = sumBy(items.flatMap((i) => i.analysis.attribution.byAgent), (g) => g.type ?? g.name, (acc, g) => {
    acc[0] += g.own.costUsd; acc[1] += g.own.llmCalls; acc[2] += g.own.toolCalls; acc[3] += g.own.totalTokens; acc[4]++
  }, 5)
  const tools = sumBy(items.flatMap((i) => i.analysis.attribution.byTool), (t) => t.tool, (acc, t) => {
    acc[0] += t.count; acc[1] += t.errors; acc[2] += t.totalMs
  }, 3)
  const models = sumBy(items.flatMap((i) => i.analysis.attribution.byModel), (m) => m.model, (acc, m) => {
    acc[0] += m.llmCalls; acc[1] += m.totalTokens; acc[2] += m.costUsd
  }, 3)
  const byFirst = (m: Map<string, number[]>, i: number) => [...m].sort((a, b) => b[1][i] - a[1][i] || (a[0] < b[0] ? -1 : 1))
  return [
    runs,
    c.table('agents', 'Agents (by role, summed over runs)', [['agent role', 'left'], ['agents', 'right'], ['own cost', 'right'], ['LLM calls', 'right'], ['tool calls', 'right'], ['tokens', 'right']],
      byFirst(agents, 0).map(([k, v]) => [c.text(k), c.int(v[4]), c.money(v[0]), c.int(v[1]), c.int(v[2]), c.int(v[3])])),
    c.table('tools', 'Tools (summed over runs)', [['tool', 'left'], ['calls', 'right'], ['errors', 'right'], ['error rate', 'right'], ['total time', 'right']],
      byFirst(tools, 2).map(([k, v]) => [c.text(k), c.int(v[0]), c.int(v[1]), c.share(v[0] ? v[1] / v[0] : null, 1), c.millis(v[2])])),
    c.table('models', 'Models (summed over runs)', [['model', 'left'], ['LLM calls', 'right'], ['tokens', 'right'], ['cost', 'right']],
      byFirst(models, 2).map(([k, v]) => [c.text(k), c.int(v[0]), c.int(v[1]), c.money(v[2])])),
  ]
}

/** Recommendations of all runs, one per kind of finding, saying in how many runs it came up. */
function groupRecommendations(items: AnalysedRun[]): ReportRecommendation[] {
  const byKind = new Map<string, { rec: ReportRecommendation; runs: Set<string> }>()
  const order = { critical: 0, warning: 1, info: 2 }
  for (const { run, analysis } of items) {
    for (const r of recommendationsFromInsights(analysis.insights)) {
      const kind = r.basis.split('"')[1] ?? r.basis
      const seen = byKind.get(kind)
      if (!seen) byKind.set(kind, { rec: r, runs: new Set([run.name]) })
      else {
        seen.runs.add(run.name)
        if (order[r.severity] < order[seen.rec.severity]) seen.rec = r
      }
    }
  }
  return [...byKind.values()]
    .map(({ rec, runs }) => ({ ...rec, basis: `${rec.basis} — in ${runs.size} of ${items.length} runs`, evidence: { ...rec.evidence, runs: runs.size, ofRuns: items.length } }))
    .sort((a, b) => order[a.severity] - order[b.severity] || (b.evidence.runs as number) - (a.evidence.runs as number))
}

export function buildGroupBody(group: string, items: AnalysedRun[]): ModelBody {
  const costs = items.map((i) => i.analysis.attribution.totalCostUsd)
  const walls = items.map((i) => i.analysis.structure.wallMs)
  const total = costs.reduce((a, b) => a + b, 0)
  const ci = meanConfidenceInterval(costs)
  const llm = items.reduce((t, i) => t + i.run.llmCalls, 0)
  const tools = items.reduce((t, i) => t + i.run.toolCalls, 0)
  const tokens = items.reduce((t, { run: r }) => t + r.inputTokens + r.outputTokens + r.cacheCreationTokens + r.cacheReadTokens, 0)
  const p95s = items.flatMap((i) => (i.analysis.llm.latencyMs.summary.p95 === null ? [] : [i.analysis.llm.latencyMs.summary.p95]))
  const insights = items
    .flatMap(({ run, analysis }) => analysis.insights.slice(0, 2).map((i) => ({ ...toReportInsight(run.id)(i), title: `${run.name}: ${i.title}` })))
    .sort((a, b) => b.impact * b.confidence - a.impact * a.confidence)
    .map((i, k) => ({ ...i, rank: k + 1 }))
  const medWall = median(walls)
  const ciText = ci ? `${usd(ci.lower)}–${usd(ci.upper)}` : 'n/a'
  const summary = [
    { text: `Group ${group}: ${items.length} run${items.length === 1 ? '' : 's'} cost ${usd(total)} in all, ${usd(total / items.length)} per run on average (95% t interval ${ciText}); median wall time ${duration(medWall === null ? null : Math.round(medWall))}.`,
      evidence: { runs: items.length, totalCostUsd: total, meanCostUsd: total / items.length, ciLower: ci?.lower ?? null, ciUpper: ci?.upper ?? null, medianWallMs: medWall } },
    { text: `${llm} LLM calls and ${tools} tool calls used ${compact(tokens)} tokens.`, evidence: { llmCalls: llm, toolCalls: tools, tokens } },
    ...insights.slice(0, 3).map((i) => ({ text: `${i.title} (confidence ${i.confidenceText}).`, evidence: i.evidence })),
  ]
  const anomalies = items
    .flatMap(({ analysis }) => {
      const names = new Map(analysis.attribution.byAgent.map((g) => [g.agentId, g.name]))
      return toReportAnomalies(analysis, (id) => (id === null ? null : (names.get(id) ?? id)))
    })
    .sort((a, b) => b.score - a.score)
    .slice(0, 25)
  return {
    subject: `group ${group}`,
    scope: { kind: 'group', target: `group:${group}`, description: `Group ${group}: ${items.length} runs`, baseline: null, candidates: [], runs: items.map((i) => reportRun(i.run)) },
    summary,
    kpis: [
      c.kpi('runs', 'Runs', 'runs', c.int(items.length)),
      c.kpi('cost', 'Total cost', 'USD', c.money(total)),
      c.kpi('cost-per-run', 'Mean cost per run', 'USD', c.money(total / items.length), ci ? `95% CI ${ciText}` : null),
      c.kpi('wall', 'Median wall time', 'ms', c.wall(medWall)),
      c.kpi('llm-calls', 'LLM calls', 'calls', c.int(llm)),
      c.kpi('tool-calls', 'Tool calls', 'calls', c.int(tools)),
      c.kpi('tokens', 'Tokens', 'tokens', { v: tokens, t: compact(tokens) }),
      c.kpi('llm-p95', 'Median of runs’ LLM p95', 'ms', c.millis(median(p95s))),
    ],
    charts: groupCharts(items.map(({ run, analysis: a }) => ({ name: run.name, startedMs: run.startedAt ? Date.parse(run.startedAt) : null, costUsd: a.attribution.totalCostUsd, wallMs: a.structure.wallMs, llmP95Ms: a.llm.latencyMs.summary.p95 }))),
    tables: groupTables(items),
    verdicts: [],
    anomalies,
    insights,
    recommendations: groupRecommendations(items),
    methodology: [
      { topic: 'Units', text: `Each of the ${items.length} runs was analysed on its own; the runs are the independent units. Costs, calls, tokens and tool time are summed over runs; the mean cost per run has a 95% Student t interval over the ${items.length} run costs${items.length < 2 ? ' (not defined for one run)' : ''}.` },
      { topic: 'Insights', text: 'The two strongest insights of each run are listed with the run they concern, ranked by impact × confidence; each names the method behind its confidence.' },
      { topic: 'Percentiles', text: `LLM p95 per run interpolates linearly between order statistics (type 7); the group figure is the median of the ${p95s.length} runs' p95.` },
    ],
  }
}
