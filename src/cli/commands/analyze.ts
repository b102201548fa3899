import type { Command } from 'commander'
import { compact, duration, usd } from '../../shared/format'
import { call, openCore, printJson, type GlobalOptions } from '../context'
import { table } from '../format'

const ms = (x: number | null | undefined) => (x === null || x === undefined ? '—' : duration(Math.round(x)))
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(100 * x).toFixed(0)}%`)

export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description('statistics of one run: latency percentiles, attribution, cache, critical path, anomalies and insights')
    .argument('<run>', "run id or 'latest'")
    .option('--seed <n>', 'seed for the bootstrap behind confidence figures', '1')
    .addHelpText('after', '\nExample:\n  swarmscope analyze latest --json > analysis.json')
    .action(async (ref: string, o: { seed: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const core = openCore(opts)
      try {
        const a = await call(core, 'analysis.run', { id: ref, seed: Number(o.seed) })
        if (opts.json) return printJson(a)
        const l = a.llm.latencyMs.summary
        console.log(`run ${a.runId}: ${a.spans} spans, wall ${ms(a.structure.wallMs)}, cost ${usd(a.attribution.totalCostUsd)}`)
        console.log(`LLM latency: p50 ${ms(l.p50)}  p95 ${ms(l.p95)}  p99 ${ms(l.p99)}  (n=${l.count}, ${a.llm.latencyMs.shape.kind})`)
        const c = a.structure.concurrency
        console.log(`parallelism: ${c.agents} agents, average ${c.averageConcurrency?.toFixed(2)}, peak ${c.peakConcurrency}, efficiency ${pct(c.parallelEfficiency)}`)
        console.log(`cache: hit ratio ${pct(a.cache.hitRatio)}, saved ${usd(a.cache.savedUsd)}`)
        console.log('\n' + table([
          ['agent', 'own cost', 'with subagents', 'share', 'llm', 'tokens'],
          ...a.attribution.byAgent.map((g) => ['  '.repeat(g.depth) + g.name, usd(g.own.costUsd), usd(g.rolledUp.costUsd), pct(g.shareOfCost), String(g.own.llmCalls), compact(g.own.totalTokens)]),
        ]))
        if (a.tools.length) {
          console.log('\n' + table([['tool', 'calls', 'p50', 'p95', 'errors'], ...a.tools.map((t) => [t.tool, String(t.summary.count), ms(t.summary.p50), ms(t.summary.p95), String(t.errors)])]))
        }
        if (a.anomalies.length) console.log(`\n${a.anomalies.length} anomalies, e.g. ${a.anomalies.slice(0, 3).map((x) => `${x.spanId} (${x.severity})`).join(', ')}`)
        if (a.insights.length) {
          console.log('\nInsights:')
          for (const i of a.insights) console.log(`  ${i.rank}. ${i.title} — ${i.detail} [confidence ${pct(i.confidence)}]`)
        }
      } finally {
        core.close()
      }
    })
}
