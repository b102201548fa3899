import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { basename, dirname, extname, join, resolve } from 'node:path'
import type { Command } from 'commander'
import type { RenderResult } from '../../shared/routes/reports'
import { call, CliError, openCore, printJson, type GlobalOptions } from '../context'
import { addAnonymizeOptions, anonymizeRequest, writeMapping, type AnonymizeFlags } from '../anonymize-options'
import { table } from '../format'
import { registerReportSchedule } from './report-schedule'

const FORMATS = ['json', 'md', 'html', 'pdf'] as const
type Format = (typeof FORMATS)[number]

const bytesOf = (f: { content: string; encoding: 'utf8' | 'base64' }) => Buffer.from(f.content, f.encoding === 'base64' ? 'base64' : 'utf8')

/** Writes a rendered file and the files that go beside it (a Markdown report's chart SVGs). */
export function writeRendered(out: string, r: RenderResult): string[] {
  const path = resolve(out)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, bytesOf(r))
  return [path, ...r.files.map((f) => {
    const p = join(dirname(path), f.name)
    mkdirSync(dirname(p), { recursive: true })
    writeFileSync(p, bytesOf(f))
    return p
  })]
}

function formatOf(o: { format?: string; out?: string }): Format {
  const f = (o.format ?? (o.out ? extname(o.out).slice(1).toLowerCase().replace('markdown', 'md') : 'html')) as Format
  if (!FORMATS.includes(f)) throw new CliError(`--format must be one of ${FORMATS.join(', ')}, got "${o.format ?? extname(o.out ?? '')}"`, 2)
  return f
}

export function registerReport(program: Command): void {
  const report = addAnonymizeOptions(program
    .command('report')
    .description('a report of a run, a group or a comparison, as JSON, Markdown, HTML or PDF')
    .argument('[target]', "run id or 'latest', group:NAME, or baseline..candidate[,candidate] (each side a run or group:NAME)")
    .option('--template <name>', 'executive, full or comparison; a template of yours by id or folder path (default: full, comparison for a comparison)')
    .option('--format <format>', 'json, md, html or pdf (default: from --out, else html)')
    .option('--out <file>', 'file to write (Markdown also writes <name>-charts/*.svg beside it); without it, text formats go to stdout')
    .option('--seed <n>', 'seed for the bootstrap behind confidence figures')
    .option('--no-cache', 'render afresh instead of reusing a report of unchanged data'))
    .addHelpText('after', `
Examples:
  swarmscope report latest --template executive --format pdf --out summary.pdf
  swarmscope report latest --anonymize --salt team-q3 --out shared.html   # pseudonyms instead of names
  swarmscope report group:nightly --format md --out nightly.md
  swarmscope report group:before..group:after --template comparison --out compare.html
  swarmscope report templates            # built-in and your own templates
  swarmscope report schedule --help      # scheduled reports, written to a folder or emailed`)
    .action(async (target: string | undefined, o: { template?: string; format?: string; out?: string; seed?: string; cache: boolean } & AnonymizeFlags, cmd: Command) => {
      if (!target) throw new CliError('name what to report on: a run id, latest, group:NAME or baseline..candidate (see --help)', 2)
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const format = formatOf(o)
      if (format === 'pdf' && !o.out) throw new CliError('a PDF is binary: pass --out FILE.pdf', 2)
      const seed = o.seed === undefined ? undefined : Number(o.seed)
      if (seed !== undefined && !Number.isInteger(seed)) throw new CliError(`--seed must be an integer, got "${o.seed}"`, 2)
      const anonymize = anonymizeRequest(o)
      const core = openCore(opts)
      try {
        const baseName = o.out ? basename(o.out, extname(o.out)).replace(/[^\w.-]+/g, '-') || 'report' : 'report'
        const r = await call(core, 'reports.render', { target, template: o.template, format, baseName, seed, cache: o.cache, anonymize })
        writeMapping(o, r.mapping)
        if (!o.out) {
          process.stdout.write(r.content)
          return
        }
        const written = writeRendered(o.out, r)
        if (opts.json) printJson({ files: written, bytes: r.bytes, format: r.format, cached: r.cached })
        else console.error(`wrote ${written[0]} (${r.bytes.toLocaleString('en-US')} bytes${r.cached ? ', from the cache' : ''})${written.length > 1 ? ` and ${written.length - 1} chart files` : ''}`)
      } finally {
        core.close()
      }
    })

  report
    .command('templates')
    .description('list report templates: the built-in ones and those in <data dir>/templates')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const core = openCore(opts)
      try {
        const list = await call(core, 'reports.templates', {})
        if (opts.json) return printJson(list)
        console.log(table([['template', 'for', 'own layouts', 'description'], ...list.map((t) => [t.id, t.scopes.join(', '), t.layouts.join(', ') || '—', t.description])]))
      } finally {
        core.close()
      }
    })

  report
    .command('template-init')
    .description('copy a template into a folder, as the start of your own (see docs/templates.md)')
    .argument('<dir>', 'folder to create; put it under <data dir>/templates to use it by its id')
    .option('--from <template>', 'the template to start from', 'full')
    .addHelpText('after', '\nExample:\n  swarmscope report template-init ~/.local/share/swarmscope/templates/team --from executive')
    .action(async (dir: string, o: { from: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      if (existsSync(join(dir, 'template.json'))) throw new CliError(`${join(dir, 'template.json')} exists already; choose another folder`, 2)
      const core = openCore(opts)
      try {
        const { files } = await call(core, 'reports.templateSource', { id: o.from })
        mkdirSync(dir, { recursive: true })
        for (const f of files) writeFileSync(join(dir, f.name), f.content)
        console.error(`wrote ${files.map((f) => join(dir, f.name)).join(', ')}`)
      } finally {
        core.close()
      }
    })

  report
    .command('schema')
    .description('print the JSON Schema of the report model (the JSON format and the templates\' data)')
    .action(async (_o: unknown, cmd: Command) => {
      const core = openCore(cmd.optsWithGlobals<GlobalOptions>())
      try {
        printJson((await call(core, 'reports.schema', {})).jsonSchema)
      } finally {
        core.close()
      }
    })

  registerReportSchedule(report)
}
