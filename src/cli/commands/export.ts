import { writeFileSync } from 'node:fs'
import type { Command } from 'commander'
import { addAnonymizeOptions, anonymizeRequest, writeMapping, type AnonymizeFlags } from '../anonymize-options'
import { CliError, call, printJson } from '../context'
import { progress, progressDone, withCore } from '../with-core'

const FORMATS = ['ndjson', 'otlp', 'csv'] as const

export function registerExport(program: Command): void {
  addAnonymizeOptions(program
    .command('export')
    .description('write runs out: Swarmscope NDJSON (re-imports into the same numbers), OTLP/JSON traces, or CSV')
    .argument('<runs...>', "run ids, 'latest' or 'group:NAME'")
    .option('--format <format>', 'ndjson, otlp or csv', 'ndjson')
    .option('--csv-table <table>', 'CSV only: spans (a row per span) or runs (a row per run)', 'spans')
    .option('-o, --output <file>', 'write to this file instead of standard output'))
    .addHelpText('after', '\nExamples:\n  swarmscope export latest -o run.ndjson\n  swarmscope export group:nightly --format csv --anonymize --salt team-q3 -o nightly.csv\n  swarmscope export group:baseline --format csv --csv-table runs > baseline.csv\n  swarmscope export latest --format otlp -o run.otlp.json')
    .action((runs: string[], o: { format: string; csvTable: string; output?: string } & AnonymizeFlags, cmd: Command) =>
      withCore(cmd, async (core, opts) => {
        if (!(FORMATS as readonly string[]).includes(o.format)) throw new CliError(`--format expects ndjson, otlp or csv, got "${o.format}"`, 2)
        if (o.csvTable !== 'spans' && o.csvTable !== 'runs') throw new CliError(`--csv-table expects spans or runs, got "${o.csvTable}"`, 2)
        const anonymize = anonymizeRequest(o)
        progress(`exporting ${runs.join(', ')}…`, opts)
        const r = await call(core, 'export.runs', { runs, format: o.format as (typeof FORMATS)[number], csvTable: o.csvTable, anonymize })
        progressDone(opts)
        writeMapping(o, r.mapping)
        if (!o.output) {
          if (opts.json && o.format !== 'ndjson') return printJson(r)
          process.stdout.write(r.content)
          return
        }
        try {
          writeFileSync(o.output, r.content)
        } catch (e) {
          throw new CliError(`cannot write ${o.output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
        }
        const { content: _c, mapping: _m, ...meta } = r
        if (opts.json) printJson({ ...meta, file: o.output })
        else if (process.stderr.isTTY) console.error(`wrote ${r.records} records of ${r.runIds.length} run${r.runIds.length === 1 ? '' : 's'} to ${o.output}`)
      }),
    )
}
