import { useMemo } from 'react'
import type { RunOverview as Overview } from '../../../shared/dto'
import { compact, exact, usd } from '../../../shared/format'
import { EChart } from './EChart'
import { KpiTiles } from './KpiTiles'

const SERIES = [
  ['inputTokens', 'Input'],
  ['outputTokens', 'Output'],
  ['cacheCreationTokens', 'Cache write'],
  ['cacheReadTokens', 'Cache read'],
] as const

function tokensOverTimeOption(o: Overview) {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 60, right: 20, top: 36, bottom: 56 },
    xAxis: { type: 'time' },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => compact(v) } },
    dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }],
    series: SERIES.map(([key, name]) => ({
      name,
      type: 'line',
      showSymbol: o.tokensOverTime.length < 60,
      data: o.tokensOverTime.map((p) => [p.t, p[key]]),
    })),
  }
}

function tokensPerAgentOption(o: Overview) {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 140, right: 20, top: 36, bottom: 24 },
    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => compact(v) } },
    yAxis: { type: 'category', data: o.agents.map((a) => a.name), inverse: true },
    series: SERIES.map(([key, name]) => ({ name, type: 'bar', stack: 'tokens', data: o.agents.map((a) => a[key]) })),
  }
}

export function RunOverview({ overview }: { overview: Overview }) {
  const lineOption = useMemo(() => tokensOverTimeOption(overview), [overview])
  const barOption = useMemo(() => tokensPerAgentOption(overview), [overview])
  const r = overview.run
  return (
    <article className="overview" aria-label={`Run ${r.name}`}>
      <header>
        <h1 data-testid="run-title">{r.name}</h1>
        <p className="muted">
          {r.id} · {r.source} · started {r.startedAt?.replace('T', ' ').slice(0, 19)} UTC · content kept: {r.contentPolicy}
          {r.reportedCostUsd !== null ? ` · reported cost ${usd(r.reportedCostUsd)}` : ''}
        </p>
        {r.unpricedModels.length > 0 && <p className="warn">Not priced (unknown models): {r.unpricedModels.join(', ')}</p>}
      </header>
      <KpiTiles run={r} />
      <div className="charts">
        <section className="panel">
          <h3>Tokens over time</h3>
          <EChart option={lineOption} testId="chart-tokens-over-time" />
        </section>
        <section className="panel">
          <h3>Tokens per agent</h3>
          <EChart option={barOption} height={Math.max(200, 60 + overview.agents.length * 36)} testId="chart-tokens-per-agent" />
        </section>
      </div>
      <section className="panel">
        <h3>Agents</h3>
        <table className="agents" data-testid="agents-table">
          <thead>
            <tr><th>Agent</th><th>Type</th><th>Parent</th><th>LLM calls</th><th>Tool calls</th><th>Input</th><th>Output</th><th>Cache write</th><th>Cache read</th><th>Cost</th></tr>
          </thead>
          <tbody>
            {overview.agents.map((a) => (
              <tr key={a.id} data-agent-id={a.id}>
                <td>{a.name}</td><td>{a.type ?? ''}</td><td>{a.parentAgentId ?? ''}</td><td>{exact(a.llmCalls)}</td><td>{exact(a.toolCalls)}</td>
                <td>{exact(a.inputTokens)}</td><td>{exact(a.outputTokens)}</td><td>{exact(a.cacheCreationTokens)}</td><td>{exact(a.cacheReadTokens)}</td><td>{usd(a.costUsd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </article>
  )
}
