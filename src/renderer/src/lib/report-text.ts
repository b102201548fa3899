import type { RunAnalysis } from '../../../shared/analysis-dto'
import type { RunSummary } from '../../../shared/dto'
import { compact, duration, exact, usd } from '../../../shared/format'
import type { Comparison } from '../stores/compare'

// Reports written in the browser when the reports engine (`reports.render`) is not in this
// build: Markdown and a self-contained HTML page with the charts as images. Numbers use the
// same formatting as the screens.

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)

export function runFacts(r: RunSummary): [string, string][] {
  return [
    ['Run', r.name], ['Id', r.id], ['Source', r.source], ['Started', r.startedAt ?? '—'], ['Wall time', duration(r.durationMs)],
    ['Agents', exact(r.agents)], ['LLM calls', exact(r.llmCalls)], ['Tool calls', exact(r.toolCalls)], ['Errors', exact(r.errors)],
    ['Input tokens', exact(r.inputTokens)], ['Output tokens', exact(r.outputTokens)], ['Cache write tokens', exact(r.cacheCreationTokens)],
    ['Cache read tokens', exact(r.cacheReadTokens)], ['Cost', usd(r.costUsd)],
  ]
}

export function runMarkdown(r: RunSummary, a: RunAnalysis | null): string {
  const lines = [`# ${r.name}`, '', '| | |', '|---|---|', ...runFacts(r).map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`), '']
  if (a) {
    lines.push('## Insights', '', ...a.insights.map((i) => `- **${i.title}** (${Math.round(i.confidence * 100)} % sure): ${i.detail}`), '')
    lines.push('## Cost by agent', '', '| Agent | LLM calls | Tokens | Cost |', '|---|---:|---:|---:|')
    for (const g of a.attribution.byAgent) lines.push(`| ${g.name} | ${exact(g.own.llmCalls)} | ${compact(g.own.totalTokens)} | ${usd(g.own.costUsd)} |`)
    lines.push('', '## Anomalies', '', ...(a.anomalies.length ? a.anomalies.slice(0, 20).map((x) => `- ${x.name}: ${duration(x.latencyMs)} vs median ${duration(Math.round(x.groupMedianMs))} (${x.severity})`) : ['None.']), '')
  }
  return lines.join('\n')
}

export function comparisonMarkdown(cs: Comparison[], label: (ref: string) => string): string {
  const lines = [`# Comparison against ${label(cs[0]?.baselineRef ?? '')}`, '']
  for (const c of cs) {
    lines.push(`## ${label(c.candidateRef)}`, '', `Ranking score ${c.ranking.score.toFixed(3)}: ${c.ranking.preferred} preferred.`, '', '| Metric | Baseline | Candidate | Change | Verdict |', '|---|---:|---:|---:|---|')
    for (const m of c.metrics) lines.push(`| ${m.label} | ${m.baseline.mean?.toPrecision(4) ?? '—'} | ${m.candidate.mean?.toPrecision(4) ?? '—'} | ${m.changePct === null ? '—' : `${m.changePct.toFixed(1)} %`} | ${m.verdict} |`)
    lines.push('')
  }
  return lines.join('\n')
}

export function htmlPage(title: string, markdownish: string, images: { title: string; dataUrl: string }[]): string {
  const body = markdownish
    .split('\n')
    .map((l) => (l.startsWith('# ') ? `<h1>${esc(l.slice(2))}</h1>` : l.startsWith('## ') ? `<h2>${esc(l.slice(3))}</h2>` : l.startsWith('|') ? `<pre>${esc(l)}</pre>` : l.startsWith('- ') ? `<p>• ${esc(l.slice(2)).replace(/\*\*(.+?)\*\*/g, '<b>$1</b>')}</p>` : l ? `<p>${esc(l)}</p>` : ''))
    .join('\n')
  const figures = images.map((i) => `<figure><figcaption>${esc(i.title)}</figcaption><img alt="${esc(i.title)}" src="${i.dataUrl}"></figure>`).join('\n')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:24px auto;padding:0 16px;color:#1d2330}pre{margin:0;font:13px ui-monospace,monospace}figure{margin:16px 0}img{max-width:100%;border:1px solid #e2e6ee}</style>
</head><body>${body}\n${figures}</body></html>`
}
