import type { RunAnalysis } from '../../shared/analysis-dto'
import type { RunOverview, RunSummary } from '../../shared/dto'
import { compact, duration, usd } from '../../shared/format'
import type { ReportAnomaly, ReportInsight, ReportModel, SummaryLine } from '../../shared/report-model'
import * as f from '../analysis/format'
import * as c from './cells'
import { runCharts } from './charts/specs'
import { recommendationsFromInsights } from './recommend'

// The report body of one run, from its analysis. Everything a template may show is here; the
// template then picks sections (see templates/builtin.ts).

export type ModelBody = Omit<ReportModel, 'schema' | 'schemaVersion' | 'generatedAt' | 'generator' | 'template' | 'title'> & { subject: string }

export const reportRun = (r: RunSummary) => ({ id: r.id, name: r.name, group: r.group, source: r.source, startedAt: r.startedAt, endedAt: r.endedAt, costUsd: r.costUsd, spans: r.spans })

export const toReportInsight = (runId: string) => (i: RunAnalysis['insights'][number]): ReportInsight => ({
  rank: i.rank, kind: i.kind, title: i.title, detail: i.detail, confidence: i.confidence, confidenceText: f.pct(i.confidence),
  confidenceMethod: i.confidenceMethod, impact: i.impact, runId, evidence: i.evidence,
})

export function toReportAnomalies(a: RunAnalysis, agentName: (id: string | null) => string | null, max = 25): ReportAnomaly[] {
  return a.anomalies.slice(0, max).map((x) => ({
    spanId: x.spanId, runId: a.runId, kind: x.kind, name: x.name, agent: agentName(x.agentId), latencyText: f.ms(x.latencyMs),
    medianText: f.ms(x.groupMedianMs), score: Number(x.score.toFixed(2)), severity: x.severity, method: x.method,
  }))
}

export function runTables(a: RunAnalysis) {
  const agents = c.table('agents', 'Agents', [['agent', 'left'], ['type', 'left'], ['own cost', 'right'], ['with subagents', 'right'], ['share', 'right'], ['LLM calls', 'right'], ['tool calls', 'right'], ['tokens', 'right']],
    a.attribution.byAgent.map((g) => [c.text('· '.repeat(g.depth) + g.name), c.text(g.type), c.money(g.own.costUsd), c.money(g.rolledUp.costUsd), c.share(g.shareOfCost), c.int(g.own.llmCalls), c.int(g.own.toolCalls), c.int(g.own.totalTokens)]))
  const tools = c.table('tools', 'Tools', [['tool', 'left'], ['calls', 'right'], ['errors', 'right'], ['error rate', 'right'], ['total time', 'right'], ['mean', 'right'], ['p95', 'right']],
    a.attribution.byTool.map((t) => [c.text(t.tool), c.int(t.count), c.int(t.errors), c.share(t.errorRate, 1), c.millis(t.totalMs), c.millis(t.meanMs), c.millis(t.p95Ms)]))
  const models = c.table('models', 'Models', [['model', 'left'], ['LLM calls', 'right'], ['input', 'right'], ['output', 'right'], ['cache write', 'right'], ['cache read', 'right'], ['cost', 'right'], ['share', 'right']],
    a.attribution.byModel.map((m) => [c.text(m.model + (m.unpricedCalls > 0 ? ' (unpriced)' : '')), c.int(m.llmCalls), c.int(m.inputTokens), c.int(m.outputTokens), c.int(m.cacheCreationTokens), c.int(m.cacheReadTokens), c.money(m.costUsd), c.share(m.shareOfCost)]))
  const l = a.llm.latencyMs.summary
  const t = a.llm.tokensPerCall.summary
  const q = ['count', 'mean', 'p50', 'p75', 'p90', 'p95', 'p99', 'max'] as const
  const latency = c.table('llm-latency', 'LLM calls: latency and tokens per call', [['statistic', 'left'], ['latency', 'right'], ['tokens per call', 'right']],
    q.map((k) => [c.text(k), k === 'count' ? c.int(l.count) : c.millis(l[k]), k === 'count' ? c.int(t.count) : c.int(t[k])]))
  return [agents, tools, models, latency]
}

export function runMethodology(a: RunAnalysis, run: RunSummary, seed: number | undefined) {
  const l = a.llm.latencyMs
  return [
    { topic: 'Data', text: `${run.spans} spans (${run.llmCalls} LLM calls, ${run.toolCalls} tool calls) from ${run.source} (${run.format}). Cost is priced from the offline price table at import${run.unpricedModels.length ? `; calls to unpriced models (${run.unpricedModels.join(', ')}) are not in the cost` : ''}.` },
    { topic: 'Percentiles', text: `Percentiles interpolate linearly between order statistics (Hyndman & Fan type 7) over ${l.summary.count} LLM call latencies. The histogram uses ${l.histogram?.rule ?? 'no'} bins; the distribution was classified ${l.shape.kind} (${l.shape.reason}).` },
    { topic: 'Insights', text: `Each insight's confidence comes from the method named beside it: bootstrap over LLM calls (seed ${seed ?? 1}), Mann–Whitney U against the other tools with Holm's adjustment, the t-test of a least-squares slope, Spearman's ρ, a two-proportion z-test with a Wilson interval, or 1 for exact measurements of this run. Insights are ranked by impact × confidence.` },
    { topic: 'Anomalies', text: `Latency anomalies are spans whose modified z-score (median/MAD, Iglewicz & Hoaglin) of ln(1 + ms) exceeds 3.5 within a group of at least 5 comparable spans (one model's LLM calls, one tool's calls); ${a.anomalies.length} found.` },
    { topic: 'Structure', text: `The critical path follows the spans that determined the ${duration(Math.round(a.structure.wallMs))} wall time; concurrency counts agents with a span in progress (${a.structure.openSpans} spans had no end).` },
  ]
}

export function buildRunBody(run: RunSummary, a: RunAnalysis, overview: RunOverview, seed?: number): ModelBody {
  const names = new Map(a.attribution.byAgent.map((g) => [g.agentId, g.name]))
  const agentName = (id: string | null) => (id === null ? null : (names.get(id) ?? id))
  const tokens = run.inputTokens + run.outputTokens + run.cacheCreationTokens + run.cacheReadTokens
  const cost = a.attribution.totalCostUsd
  const insights = a.insights.map(toReportInsight(run.id))
  const summary: SummaryLine[] = [{
    text: `${run.name} ran for ${duration(Math.round(a.structure.wallMs))} and cost ${usd(cost)}: ${run.llmCalls} LLM calls and ${run.toolCalls} tool calls by ${run.agents} agent${run.agents === 1 ? '' : 's'}, ${compact(tokens)} tokens.`,
    evidence: { wallMs: a.structure.wallMs, costUsd: cost, llmCalls: run.llmCalls, toolCalls: run.toolCalls, agents: run.agents, tokens },
  }]
  for (const i of insights.slice(0, 3)) summary.push({ text: `${i.title} (confidence ${i.confidenceText}).`, evidence: i.evidence })
  if (a.attribution.unpricedModels.length) {
    summary.push({ text: `The cost leaves out calls to models without a price: ${a.attribution.unpricedModels.join(', ')}.`, evidence: { unpricedModels: a.attribution.unpricedModels.join(', ') } })
  }
  const l = a.llm.latencyMs.summary
  const tool = a.attribution.byTool.reduce((acc, t) => ({ calls: acc.calls + t.count, errors: acc.errors + t.errors }), { calls: 0, errors: 0 })
  return {
    subject: run.name,
    scope: { kind: 'run', target: run.id, description: `Run ${run.name} (${run.id}) from ${run.source}${run.startedAt ? `, started ${run.startedAt.slice(0, 16).replace('T', ' ')} UTC` : ''}`, baseline: null, candidates: [], runs: [reportRun(run)] },
    summary,
    kpis: [
      c.kpi('wall', 'Wall time', 'ms', c.wall(a.structure.wallMs)),
      c.kpi('cost', 'Total cost', 'USD', c.money(cost), a.attribution.unpricedModels.length ? 'excludes unpriced models' : null),
      c.kpi('llm-calls', 'LLM calls', 'calls', c.int(run.llmCalls)),
      c.kpi('tool-calls', 'Tool calls', 'calls', c.int(run.toolCalls)),
      c.kpi('tokens', 'Tokens', 'tokens', { v: tokens, t: compact(tokens) }),
      c.kpi('agents', 'Agents', 'agents', c.int(run.agents)),
      c.kpi('llm-p95', 'LLM latency p95', 'ms', c.millis(l.p95), `p50 ${l.p50 === null ? '—' : f.ms(l.p50)}`),
      c.kpi('cache-hit', 'Cache hit ratio', 'ratio', c.share(a.cache.hitRatio), `saved ${usd(a.cache.savedUsd)}`),
      c.kpi('tool-errors', 'Tool errors', 'calls', c.int(tool.errors), tool.calls ? `${f.pct(tool.errors / tool.calls, 1)} of calls` : null),
      c.kpi('parallelism', 'Parallel efficiency', 'ratio', c.share(a.structure.concurrency.parallelEfficiency), `peak ${a.structure.concurrency.peakConcurrency} agents`),
    ],
    charts: runCharts(a, overview),
    tables: runTables(a),
    verdicts: [],
    anomalies: toReportAnomalies(a, agentName),
    insights,
    recommendations: recommendationsFromInsights(a.insights),
    methodology: runMethodology(a, run, seed),
  }
}
