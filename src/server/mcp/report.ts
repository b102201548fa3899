import type { RunAnalysis } from '../../shared/analysis-dto'
import type { RunSummary } from '../../shared/dto'
import { compact, duration, usd } from '../../shared/format'

// A compact performance report in Markdown for an agent to read (the MCP performance_report
// tool): every figure is from the run's summary and analysis, nothing is estimated here.

const ms = (x: number | null | undefined) => (x === null || x === undefined ? '—' : duration(Math.round(x)))
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(100 * x).toFixed(1)}%`)
const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')

export function performanceMarkdown(run: RunSummary, a: RunAnalysis, top = 5): string {
  const l = a.llm.latencyMs.summary
  const c = a.structure.concurrency
  const lines = [
    `# Performance report: ${esc(run.name)}`,
    '',
    `Run \`${run.id}\` · ${run.source} · started ${run.startedAt ?? 'unknown'} · wall time ${ms(a.structure.wallMs)}`,
    '',
    '## Summary',
    '',
    '| metric | value |',
    '|---|---|',
    `| cost | ${usd(run.costUsd)}${run.unpricedModels.length ? ` (unpriced: ${run.unpricedModels.join(', ')})` : ''} |`,
    `| LLM calls | ${run.llmCalls} |`,
    `| tool calls | ${run.toolCalls} |`,
    `| errors | ${run.errors} |`,
    `| tokens in / out | ${compact(run.inputTokens + run.cacheCreationTokens + run.cacheReadTokens)} / ${compact(run.outputTokens)} |`,
    `| cache hit ratio | ${pct(a.cache.hitRatio)} (saved ${usd(a.cache.savedUsd)}) |`,
    `| LLM latency p50 / p95 / p99 | ${ms(l.p50)} / ${ms(l.p95)} / ${ms(l.p99)} (n=${l.count}) |`,
    `| agents / peak concurrency | ${c.agents} / ${c.peakConcurrency} (parallel efficiency ${pct(c.parallelEfficiency)}) |`,
    '',
    '## Agents',
    '',
    '| agent | own cost | with subagents | share | LLM calls | tokens |',
    '|---|---|---|---|---|---|',
    ...a.attribution.byAgent.map((g) => `| ${'↳ '.repeat(g.depth)}${esc(g.name)} | ${usd(g.own.costUsd)} | ${usd(g.rolledUp.costUsd)} | ${pct(g.shareOfCost)} | ${g.own.llmCalls} | ${compact(g.own.totalTokens)} |`),
    '',
    '## Bottlenecks',
    '',
    'Critical path by kind: ' + (a.structure.criticalPath.byKind.map((k) => `${k.kind} ${ms(k.ms)}`).join(', ') || '—'),
    '',
    '| tool | calls | p50 | p95 | total | errors |',
    '|---|---|---|---|---|---|',
    ...a.tools.slice(0, top).map((t) => `| ${esc(t.tool)} | ${t.summary.count} | ${ms(t.summary.p50)} | ${ms(t.summary.p95)} | ${ms(t.summary.sum)} | ${t.errors} |`),
  ]
  if (a.anomalies.length) {
    lines.push('', '## Anomalies', '', ...a.anomalies.slice(0, top).map((x) => `- ${esc(x.name)} \`${x.spanId}\`: ${ms(x.latencyMs)} vs median ${ms(x.groupMedianMs)} (${x.severity}, score ${x.score.toFixed(1)})`))
  }
  if (a.insights.length) {
    lines.push('', '## Insights', '', ...a.insights.slice(0, top).map((i) => `${i.rank}. **${esc(i.title)}** — ${esc(i.detail)} (confidence ${pct(i.confidence)})`))
  }
  return lines.join('\n') + '\n'
}
