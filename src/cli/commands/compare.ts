import type { Command } from 'commander'
import { call, CliError, openCore, printJson, type GlobalOptions } from '../context'
import { table } from '../format'

const num = (x: string) => {
  const n = Number(x)
  if (!Number.isFinite(n)) throw new CliError(`expected a number, got "${x}"`, 2)
  return n
}
const p = (x: number | null) => (x === null ? '—' : x < 0.001 ? x.toExponential(1) : x.toFixed(3))

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('compare runs or groups with significance tests; --fail-on-regression gates CI on swarm performance')
    .argument('<refs...>', "runs (id or 'latest') or groups (group:NAME); without --baseline the first is the baseline")
    .option('--baseline <ref>', 'the run or group the others are compared with')
    .option('--fail-on-regression', 'exit 1 when any metric regressed significantly (after Holm) by at least --min-effect')
    .option('--min-effect <delta>', "smallest |Cliff's delta| that counts as a change", num)
    .option('--alpha <p>', 'significance level', num)
    .option('--min-samples <n>', 'fewest values per side to test a metric', num)
    .option('--test <name>', 'mann-whitney (default) or welch')
    .option('--mode <mode>', 'auto (default), spans or runs')
    .addHelpText('after', '\nExamples:\n  swarmscope compare group:main group:candidate --fail-on-regression\n  swarmscope compare latest --baseline run-123 --json')
    .action(async (refs: string[], o: { baseline?: string; failOnRegression?: boolean; minEffect?: number; alpha?: number; minSamples?: number; test?: 'mann-whitney' | 'welch'; mode?: 'auto' | 'spans' | 'runs' }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const baseline = o.baseline ?? refs[0]
      const candidates = o.baseline ? refs : refs.slice(1)
      if (candidates.length === 0) throw new CliError('name at least two runs or groups, or one with --baseline', 2)
      const core = openCore(opts)
      try {
        const result = await call(core, 'compare.runs', { baseline, candidates, minEffect: o.minEffect, alpha: o.alpha, minSamples: o.minSamples, test: o.test, mode: o.mode })
        const regressions = result.comparisons.flatMap((c) => c.metrics.filter((m) => m.verdict === 'regressed').map((m) => `${c.candidateRef}: ${m.label}`))
        if (opts.json) printJson({ ...result, regressions })
        else {
          for (const c of result.comparisons) {
            console.log(`\n${c.candidateRef} vs baseline ${c.baselineRef} (${c.mode === 'runs' ? `${c.baseline.runs} vs ${c.candidate.runs} runs` : 'span by span'}; ${c.settings.test}, Holm-adjusted, α=${c.settings.alpha})`)
            console.log(table([
              ['metric', 'baseline', 'candidate', 'change', 'p', "Cliff's δ", 'verdict'],
              ...c.metrics.map((m) => [m.label, m.baseline.mean?.toPrecision(4) ?? '—', m.candidate.mean?.toPrecision(4) ?? '—', m.changePct === null ? '—' : `${m.changePct > 0 ? '+' : ''}${m.changePct.toFixed(1)}%`, p(m.pValue), m.cliffsDelta?.toFixed(2) ?? '—', m.verdict]),
            ]))
            console.log(`ranking: ${c.ranking.preferred} preferred (score ${c.ranking.score.toFixed(3)})`)
            for (const r of c.recommendations.filter((x) => x.severity !== 'info')) console.log(`- ${r.message}`)
          }
          if (regressions.length) console.log(`\nregressions: ${regressions.join('; ')}`)
        }
        if (o.failOnRegression && regressions.length > 0) process.exitCode = 1
      } finally {
        core.close()
      }
    })
}
