import type { Command } from 'commander'
import type { AlertRule } from '../../shared/config'
import type { AlertRecord, Delivery } from '../../shared/integrations-dto'
import { CliError, call, printJson } from '../context'
import { table } from '../format'
import { withCore } from '../with-core'
import { parseValue } from './config'

const deliveries = (ds: Delivery[]) =>
  ds.length === 0 ? 'no webhooks' : ds.map((d) => `${d.url} ${d.status}${d.attempts > 1 ? ` after ${d.attempts} attempts` : ''}${d.error ? ` (${d.error})` : ''}`).join('; ')

function printAlerts(alerts: AlertRecord[]): void {
  if (alerts.length === 0) return console.log('No alerts.')
  for (const a of alerts) console.log(`${a.firedAt.slice(0, 19).replace('T', ' ')}  ${a.severity.padEnd(8)} ${a.title}\n    ${a.message}\n    delivery: ${deliveries(a.deliveries)}`)
}

const KINDS = ['cost-per-run', 'error-rate', 'p95-latency-regression', 'anomalies', 'collector-drops'] as const

export function registerAlerts(program: Command): void {
  const alerts = program
    .command('alerts')
    .description('alert rules (cost per run, error rate, p95 latency regression, anomalies, collector drops) delivered to webhooks')
    .addHelpText('after', '\nExamples:\n  swarmscope alerts add-rule cost-per-run threshold=5\n  swarmscope alerts add-webhook https://hooks.slack.com/services/T/B/X --format slack\n  swarmscope alerts check latest --fail-on-alert\n\n`swarmscope serve` checks the rules whenever runs change.')

  alerts
    .command('list', { isDefault: true })
    .description('alerts fired so far (newest first) and the rules in force')
    .option('--run <id>', 'only alerts about this run')
    .option('--limit <n>', 'at most this many', '50')
    .addHelpText('after', '\nExample:\n  swarmscope alerts list --json')
    .action((o: { run?: string; limit: string }, cmd: Command) =>
      withCore(cmd, async (core, opts) => {
        const r = await call(core, 'alerts.list', { runId: o.run, limit: Number(o.limit) })
        if (opts.json) return printJson(r)
        console.log(r.rules.length ? table([['rule', 'kind', 'settings'], ...r.rules.map((x) => [x.id, x.kind, JSON.stringify(Object.fromEntries(Object.entries(x).filter(([k]) => !['id', 'kind'].includes(k))))])]) : 'No rules: add one with `swarmscope alerts add-rule`.')
        console.log('')
        printAlerts(r.alerts)
      }),
    )

  alerts
    .command('check')
    .description('evaluate the rules for runs now and deliver what fires (each rule fires once per run unless --force)')
    .argument('[runs...]', "run ids, 'latest' or 'group:NAME' (default: latest)")
    .option('--no-deliver', 'record and print, but do not call the webhooks')
    .option('--force', 'fire again even if this rule already fired for the run')
    .option('--fail-on-alert', 'exit with code 1 when any alert fires (for CI)')
    .addHelpText('after', '\nExample:\n  swarmscope alerts check group:nightly --fail-on-alert --json')
    .action((runs: string[], o: { deliver: boolean; force?: boolean; failOnAlert?: boolean }, cmd: Command) =>
      withCore(cmd, async (core, opts) => {
        const r = await call(core, 'alerts.evaluate', { runs: runs.length ? runs : undefined, deliver: o.deliver, force: o.force ?? false })
        if (opts.json) printJson(r)
        else printAlerts(r.fired)
        if (o.failOnAlert && r.fired.length > 0) process.exitCode = 1
      }),
    )

  alerts
    .command('test')
    .description('send a test alert to every webhook')
    .addHelpText('after', '\nExample:\n  swarmscope alerts test')
    .action((_o: unknown, cmd: Command) =>
      withCore(cmd, async (core, opts) => {
        const r = await call(core, 'alerts.test', {})
        if (opts.json) printJson(r)
        else console.log(deliveries(r.deliveries))
        if (r.deliveries.some((d) => d.status === 'failed')) process.exitCode = 1
      }),
    )

  alerts
    .command('add-rule')
    .description(`add (or replace, by id) a rule: ${KINDS.join(', ')}`)
    .argument('<kind>', 'the rule kind')
    .argument('[settings...]', 'key=value, e.g. threshold=5, thresholdPct=20, baseline=group:main, minSeverity=high')
    .option('--id <id>', 'rule id (default: the kind)')
    .addHelpText('after', '\nExample:\n  swarmscope alerts add-rule p95-latency-regression thresholdPct=25 baseline=group:baseline')
    .action((kind: string, settings: string[], o: { id?: string }, cmd: Command) =>
      withCore(cmd, async (core, opts) => {
        if (!(KINDS as readonly string[]).includes(kind)) throw new CliError(`unknown rule kind "${kind}"; one of ${KINDS.join(', ')}`, 2)
        const extra = Object.fromEntries(settings.map((s) => {
          const i = s.indexOf('=')
          if (i <= 0) throw new CliError(`settings are key=value, got "${s}"`, 2)
          return [s.slice(0, i), parseValue(s.slice(i + 1))]
        }))
        const rule = { ...extra, id: o.id ?? kind, kind } as AlertRule
        const { config } = await call(core, 'config.get', {})
        const view = await call(core, 'config.set', { values: { 'alerts.rules': [...config.alerts.rules.filter((r) => r.id !== rule.id), rule] } })
        if (opts.json) printJson(view.config.alerts.rules)
        else console.log(`rule ${rule.id} saved (${view.config.alerts.rules.length} rules)`)
      }),
    )

  alerts
    .command('add-webhook')
    .description('deliver alerts to a webhook: Slack incoming webhook (--format slack) or any JSON receiver')
    .argument('<url>', 'http(s) URL')
    .option('--format <format>', 'slack or json', 'json')
    .option('--header <name=value>', 'extra request header (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .addHelpText('after', '\nExample:\n  swarmscope alerts add-webhook https://example.test/hook --header "Authorization=Bearer s3cret"')
    .action((url: string, o: { format: string; header: string[] }, cmd: Command) =>
      withCore(cmd, async (core, opts) => {
        const headers = Object.fromEntries(o.header.map((h) => [h.slice(0, h.indexOf('=')), h.slice(h.indexOf('=') + 1)]))
        const { config } = await call(core, 'config.get', {})
        const view = await call(core, 'config.set', { values: { 'alerts.webhooks': [...config.alerts.webhooks.filter((w) => w.url !== url), { url, format: o.format, headers }] } })
        if (opts.json) printJson({ webhooks: view.config.alerts.webhooks.length })
        else console.log(`webhook saved (${view.config.alerts.webhooks.length} in all); try it with \`swarmscope alerts test\``)
      }),
    )
}
