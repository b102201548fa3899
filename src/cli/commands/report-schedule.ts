import { resolve } from 'node:path'
import type { Command } from 'commander'
import type { Schedule } from '../../shared/routes/reports'
import { addAnonymizeOptions, anonymizeRequest, type AnonymizeFlags } from '../anonymize-options'
import { call, CliError, openCore, printJson, type GlobalOptions } from '../context'
import { table } from '../format'

// `swarmscope report schedule …`: reports made on a cron schedule by `swarmscope serve`,
// written into a folder and/or emailed. Options shared with `report` (--template, --format)
// (and --anonymize with its companions) are parsed by the parent command, so they are read with
// optsWithGlobals.

type Opts = GlobalOptions & AnonymizeFlags & { name?: string; cron?: string; timezone?: string; template?: string; format?: string; outDir?: string; email?: string[]; smtp?: string; from?: string }

async function withCore<T>(cmd: Command, work: (core: ReturnType<typeof openCore>, opts: Opts) => Promise<T>): Promise<T> {
  const opts = cmd.optsWithGlobals<Opts>()
  const core = openCore(opts)
  try {
    return await work(core, opts)
  } finally {
    core.close()
  }
}

const collect = (v: string, acc: string[] = []) => [...acc, ...v.split(',').map((s) => s.trim()).filter(Boolean)]

const anonymized = (a: Schedule['anonymize']) => (!a ? 'no' : a.salt === 'fixed' ? 'yes, fixed salt' : 'yes, new salt each time')

const describe = (s: Schedule) => [s.id, s.name, s.cron + (s.timezone ? ` (${s.timezone})` : ''), s.target, `${s.template ?? 'default'} / ${s.format}`, anonymized(s.anonymize), [s.outDir, ...s.emailTo].filter(Boolean).join(', '), s.nextRunAt?.slice(0, 19).replace('T', ' ') ?? '—', String(s.missed)]

/** --anonymize for a schedule: no --mapping, as no one is there to keep a new mapping at every delivery. */
function scheduleAnonymize(o: Opts) {
  if (o.mapping !== undefined) throw new CliError('--mapping does not apply to schedules; pass --salt S to get the same pseudonyms in every delivery', 2)
  return anonymizeRequest(o)
}

export function registerReportSchedule(report: Command): void {
  const schedule = report
    .command('schedule')
    .description('reports on a cron schedule, made while `swarmscope serve` runs; missed ones are recorded')
    .addHelpText('after', `
Examples:
  swarmscope report schedule add latest --name daily --cron "0 8 * * 1-5" --format pdf --out-dir ~/reports
  swarmscope report schedule add group:nightly --name weekly --cron "0 9 * * 1" --template executive \\
      --email team@example.com --smtp smtp://user:pass@mail.example.com:587
  swarmscope report schedule add group:nightly --name shared --cron "0 9 * * 1" --anonymize --salt team-q3 --out-dir ~/shared
  swarmscope report schedule list
  swarmscope report schedule history --json`)

  addAnonymizeOptions(schedule
    .command('add')
    .description('add a schedule')
    .argument('<target>', "run id or 'latest', group:NAME, or baseline..candidate")
    .requiredOption('--name <name>', 'a name for the schedule (also names the files)')
    .requiredOption('--cron <expr>', 'when: 5 cron fields (min hour day month weekday), or 6 with seconds first')
    .option('--timezone <tz>', 'IANA time zone of the cron expression (default: this machine\'s)')
    .option('--template <name>', 'executive, full, comparison or a template of yours')
    .option('--format <format>', 'json, md, html or pdf (default: pdf)')
    .option('--out-dir <dir>', 'write each report into this folder')
    .option('--email <addresses>', 'email the report to these addresses (comma-separated, repeatable)', collect)
    .option('--smtp <url>', 'smtp(s)://user:pass@host:port (default: $SWARMSCOPE_SMTP_URL when sending)')
    .option('--from <address>', 'sender address (default: $SWARMSCOPE_SMTP_FROM or swarmscope@localhost)'), { mapping: false })
    .addHelpText('after', '\nExample:\n  swarmscope report schedule add group:nightly --name weekly --cron "0 9 * * 1" --timezone Europe/Berlin --out-dir ~/reports')
    .action((target: string, _o: unknown, cmd: Command) =>
      withCore(cmd, async (core, o) => {
        const anonymize = scheduleAnonymize(o)
        const s = await call(core, 'reports.schedules.add', {
          anonymize: anonymize && { salt: anonymize.salt, keepGroups: anonymize.keepGroups, keepTags: anonymize.keepTags },
          name: o.name as string, cron: o.cron as string, timezone: o.timezone, target, template: o.template,
          format: (o.format ?? 'pdf') as 'pdf', outDir: o.outDir ? resolve(o.outDir) : undefined, emailTo: o.email ?? [], smtpUrl: o.smtp, emailFrom: o.from,
        })
        if (o.json) return printJson(s)
        console.log(`added ${s.anonymize ? 'anonymized ' : ''}schedule ${s.id} "${s.name}"; next run ${s.nextRunAt ?? 'never'} (made while \`swarmscope serve\` runs)`)
      }),
    )

  schedule
    .command('list')
    .description('list schedules with their next run and how many runs were missed')
    .action((_o: unknown, cmd: Command) =>
      withCore(cmd, async (core, o) => {
        const list = await call(core, 'reports.schedules.list', {})
        if (o.json) return printJson(list)
        if (list.length === 0) return console.log('No report schedules. Add one: swarmscope report schedule add --help')
        console.log(table([['id', 'name', 'cron', 'target', 'template / format', 'anonymized', 'delivers to', 'next run (UTC)', 'missed'], ...list.map(describe)]))
      }),
    )

  schedule
    .command('remove')
    .description('remove a schedule and its history')
    .argument('<id>', 'schedule id (see list)')
    .action((id: string, _o: unknown, cmd: Command) =>
      withCore(cmd, async (core, o) => {
        const r = await call(core, 'reports.schedules.remove', { id })
        if (o.json) printJson(r)
        else console.log(`removed schedule ${id}`)
      }),
    )

  schedule
    .command('history')
    .description('what each schedule did: reports made, failures, and runs missed while Swarmscope was closed')
    .argument('[id]', 'one schedule (default: all)')
    .option('--limit <n>', 'most recent entries', '100')
    .action((id: string | undefined, lo: { limit: string }, cmd: Command) =>
      withCore(cmd, async (core, o) => {
        const limit = Number(lo.limit)
        if (!Number.isInteger(limit) || limit < 1) throw new CliError(`--limit must be a positive integer, got "${lo.limit}"`, 2)
        const rows = await call(core, 'reports.schedules.history', { id, limit })
        if (o.json) return printJson(rows)
        if (rows.length === 0) return console.log('Nothing has run yet.')
        console.log(table([['schedule', 'due (UTC)', 'status', 'file', 'emailed', 'note'], ...rows.map((r) => [r.scheduleId, r.dueAt.slice(0, 19).replace('T', ' '), r.status, r.file ?? '', r.emailedTo.join(', '), r.message ?? ''])]))
      }),
    )

  schedule
    .command('run')
    .description('make and deliver a scheduled report now')
    .argument('<id>', 'schedule id (see list)')
    .action((id: string, _o: unknown, cmd: Command) =>
      withCore(cmd, async (core, o) => {
        const r = await call(core, 'reports.schedules.run', { id })
        if (o.json) printJson(r)
        else console.log(`${r.status}${r.file ? `: ${r.file}` : ''}${r.emailedTo.length ? `; emailed ${r.emailedTo.join(', ')}` : ''}${r.message ? ` (${r.message})` : ''}`)
        if (r.status !== 'ok') process.exitCode = 1
      }),
    )
}
