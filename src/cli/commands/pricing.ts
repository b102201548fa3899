import type { Command } from 'commander'
import { usd } from '../../shared/format'
import type { RecomputeResult } from '../../shared/integrations-dto'
import { CliError, call, printJson } from '../context'
import { table } from '../format'
import { withCore } from '../with-core'

const rate = (flag: string) => (v: string) => {
  const n = Number(v)
  if (!Number.isFinite(n) || n < 0) throw new CliError(`${flag} expects USD per million tokens (a number ≥ 0), got "${v}"`, 2)
  return n
}
const money = (n: number) => (Number.isInteger(n) ? `$${n}` : `$${n.toFixed(n < 1 ? 3 : 2).replace(/0+$/, '')}`)
const recomputed = (r: RecomputeResult) =>
  r.spans === 0 ? 'no stored cost changed' : `repriced ${r.spans} LLM calls in ${r.runs} runs: ${usd(r.costBeforeUsd)} → ${usd(r.costAfterUsd)}`

export function registerPricing(program: Command): void {
  const pricing = program
    .command('pricing')
    .description('the price table used for cost (USD per million tokens), and your overrides')
    .addHelpText('after', '\nExamples:\n  swarmscope pricing\n  swarmscope pricing set claude-sonnet-4-5 --input 2.5 --output 12.5\n  swarmscope pricing unset claude-sonnet-4-5')

  pricing
    .command('show', { isDefault: true })
    .description('the prices in force; overrides are marked')
    .option('--model <id>', 'only entries matching this model id')
    .addHelpText('after', '\nExample:\n  swarmscope pricing show --model claude-opus --json')
    .action((o: { model?: string }, cmd: Command) =>
      withCore(cmd, async (core, opts) => {
        const t = await call(core, 'pricing.get', {})
        const models = o.model ? t.models.filter((m) => m.match.includes(o.model!.toLowerCase()) || o.model!.toLowerCase().startsWith(m.match)) : t.models
        if (opts.json) return printJson({ ...t, models })
        console.log(`price table ${t.version} (USD per million tokens)`)
        console.log(table([
          ['model', 'input', 'output', 'cache write 5m', 'cache write 1h', 'cache read', 'source'],
          ...models.map((m) => [m.match, money(m.input), money(m.output), money(m.cacheWrite5m), money(m.cacheWrite1h), money(m.cacheRead), m.origin]),
        ]))
      }),
    )

  pricing
    .command('set')
    .description('override the price of a model (and its dated snapshots), or of every model starting with a prefix ending in *, then reprice stored runs')
    .argument('<model>', "a model id, e.g. claude-opus-4-6, or a prefix ending in *, e.g. 'my-finetune-*'")
    .requiredOption('--input <usd>', 'input tokens', rate('--input'))
    .requiredOption('--output <usd>', 'output tokens', rate('--output'))
    .option('--cache-write-5m <usd>', 'cache writes, 5-minute TTL (default 1.25 × input)', rate('--cache-write-5m'))
    .option('--cache-write-1h <usd>', 'cache writes, 1-hour TTL (default 2 × input)', rate('--cache-write-1h'))
    .option('--cache-read <usd>', 'cache reads (default 0.1 × input)', rate('--cache-read'))
    .addHelpText('after', '\nExample:\n  swarmscope pricing set my-finetune --input 4 --output 20 --json')
    .action((model: string, o: { input: number; output: number; cacheWrite5m?: number; cacheWrite1h?: number; cacheRead?: number }, cmd: Command) =>
      withCore(cmd, async (core, opts) => {
        const r = await call(core, 'pricing.set', { match: model, input: o.input, output: o.output, cacheWrite5m: o.cacheWrite5m, cacheWrite1h: o.cacheWrite1h, cacheRead: o.cacheRead })
        if (opts.json) return printJson(r)
        console.log(`${model}: input ${money(o.input)}, output ${money(o.output)} per million tokens; ${recomputed(r.recomputed)}`)
      }),
    )

  pricing
    .command('unset')
    .description('remove an override (the built-in price applies again) and reprice stored runs')
    .argument('<model>', 'the model id or prefix given to `pricing set`')
    .addHelpText('after', '\nExample:\n  swarmscope pricing unset my-finetune')
    .action((model: string, _o: unknown, cmd: Command) =>
      withCore(cmd, async (core, opts) => {
        const r = await call(core, 'pricing.unset', { match: model })
        if (opts.json) return printJson(r)
        console.log(`${model}: override removed; ${recomputed(r.recomputed)}`)
      }),
    )

  pricing
    .command('recompute')
    .description('reprice stored LLM calls with the prices in force (costs a source stated exactly are kept)')
    .argument('[runs...]', "run ids or 'latest' (default: every run)")
    .addHelpText('after', '\nExample:\n  swarmscope pricing recompute latest')
    .action((runs: string[], _o: unknown, cmd: Command) =>
      withCore(cmd, async (core, opts) => {
        const r = await call(core, 'pricing.recompute', { runs: runs.length ? runs : undefined })
        if (opts.json) printJson(r)
        else console.log(recomputed(r))
      }),
    )
}
