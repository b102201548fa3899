import type { Command } from 'commander'
import { configKeys, getConfigValue, type AppConfig } from '../../shared/config'
import { CliError, call, printJson } from '../context'
import { withCore } from '../with-core'

/** A value from the command line: JSON when it parses (numbers, booleans, arrays, objects), else the text itself. */
export function parseValue(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v))

function valueOf(config: AppConfig, key: string): unknown {
  try {
    return getConfigValue(config, key)
  } catch (e) {
    throw new CliError(`${(e as Error).message}; \`swarmscope config list\` shows them all`, 2)
  }
}

export function registerConfig(program: Command): void {
  const config = program
    .command('config')
    .description('read and change settings (config.json in the data directory, or beside --db)')
    .addHelpText('after', `\nExamples:\n  swarmscope config list\n  swarmscope config set server.port 7421\n  swarmscope config set alerts.webhooks '[{"url":"https://hooks.slack.com/services/…","format":"slack"}]'\n  swarmscope config reset alerts`)

  config
    .command('list', { isDefault: true })
    .description('every setting as key = value')
    .addHelpText('after', '\nExample:\n  swarmscope config list --json')
    .action((_o: unknown, cmd: Command) =>
      withCore(cmd, async (core, opts) => {
        const view = await call(core, 'config.get', {})
        if (opts.json) return printJson(view)
        for (const key of configKeys(view.config)) console.log(`${key} = ${show(getConfigValue(view.config, key))}`)
      }),
    )

  config
    .command('get')
    .description('one setting (a dotted key; a section prints as JSON)')
    .argument('<key>', 'e.g. server.port, alerts.rules, pricing')
    .addHelpText('after', '\nExample:\n  swarmscope config get metrics.recentRuns')
    .action((key: string, _o: unknown, cmd: Command) =>
      withCore(cmd, async (core, opts) => {
        const value = valueOf((await call(core, 'config.get', {})).config, key)
        if (opts.json) printJson(value)
        else console.log(typeof value === 'object' ? JSON.stringify(value, null, 2) : show(value))
      }),
    )

  config
    .command('set')
    .description('change one setting; the value is JSON (numbers, true/false, arrays, objects) or plain text')
    .argument('<key>', 'a dotted key')
    .argument('<value>', 'the new value')
    .addHelpText('after', `\nExample:\n  swarmscope config set alerts.rules '[{"id":"budget","kind":"cost-per-run","threshold":5}]'`)
    .action((key: string, value: string, _o: unknown, cmd: Command) =>
      withCore(cmd, async (core, opts) => {
        const view = await call(core, 'config.set', { values: { [key]: parseValue(value) } })
        if (opts.json) printJson(view)
        else console.log(`${key} = ${show(getConfigValue(view.config, key))}`)
      }),
    )

  config
    .command('reset')
    .description('restore defaults: the given keys, or every setting')
    .argument('[keys...]', 'dotted keys (none: everything)')
    .addHelpText('after', '\nExample:\n  swarmscope config reset pricing.overrides')
    .action((keys: string[], _o: unknown, cmd: Command) =>
      withCore(cmd, async (core, opts) => {
        const view = await call(core, 'config.reset', { keys: keys.length ? keys : undefined })
        if (opts.json) printJson(view)
        else console.log(keys.length ? `reset ${keys.join(', ')}` : `reset every setting (${view.path ?? 'in memory'})`)
      }),
    )

  config
    .command('path')
    .description('where the settings file is')
    .addHelpText('after', '\nExample:\n  cat "$(swarmscope config path)"')
    .action((_o: unknown, cmd: Command) =>
      withCore(cmd, async (core, opts) => {
        const view = await call(core, 'config.get', {})
        if (opts.json) printJson({ path: view.path })
        else console.log(view.path ?? '(in memory: the database is :memory:)')
      }),
    )
}
