import { spawn } from 'node:child_process'
import { extname, resolve } from 'node:path'
import type { Command } from 'commander'
import { BUNDLE_EXTENSION } from '../../shared/routes/bundle'
import type { RunSummary } from '../../shared/dto'
import { call, openCore, printJson, type GlobalOptions } from '../context'
import { desktopLaunch } from '../desktop-app'
import { runsTable } from '../format'
import { packageRoot } from '../package-root'

/** Imports paths into the local database: what `open` does when the desktop app cannot start. */
async function importLocally(paths: string[], opts: GlobalOptions): Promise<{ dbPath: string; runs: RunSummary[]; skipped: { file: string; line: number | null; reason: string }[] }> {
  const core = openCore(opts)
  try {
    const bundles = paths.filter((p) => extname(p) === BUNDLE_EXTENSION)
    const others = paths.filter((p) => extname(p) !== BUNDLE_EXTENSION)
    const runs: RunSummary[] = []
    const skipped: { file: string; line: number | null; reason: string }[] = []
    for (const path of bundles) runs.push(...(await call(core, 'bundle.import', { path })).runs)
    if (others.length) {
      // Appended one by one: a folder's import can name more runs and skipped files than a call takes as arguments.
      const r = await call(core, 'import.paths', { paths: others })
      for (const run of r.runs) runs.push(run)
      for (const s of r.skipped) skipped.push(s)
    }
    return { dbPath: core.dbPath, runs, skipped }
  } finally {
    core.close()
  }
}

export function registerOpen(program: Command): void {
  program
    .command('open')
    .description('open files or folders (transcripts, .swarmscope bundles) in the Swarmscope app; without the app, import them here')
    .argument('<paths...>', 'files or folders')
    .addHelpText('after', '\nExample:\n  swarmscope open ~/.claude/projects/my-project/session.jsonl\n  swarmscope open team-runs.swarmscope')
    .action(async (paths: string[], _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const absolute = paths.map((p) => resolve(p))
      const launch = desktopLaunch(absolute, { root: packageRoot(), env: process.env, platform: process.platform })
      if ('command' in launch) {
        // Detached: the app outlives this command; a running app takes the paths through its single-instance lock.
        const env = opts.db ? { ...process.env, SWARMSCOPE_DB: resolve(opts.db) } : process.env
        spawn(launch.command, launch.args, { detached: true, stdio: 'ignore', env }).unref()
        if (opts.json) return printJson({ opened: absolute, app: launch.command })
        return console.log(`opening ${absolute.join(', ')} in Swarmscope`)
      }
      const result = await importLocally(absolute, opts)
      if (result.runs.length === 0 && result.skipped.length > 0) process.exitCode = 1
      if (opts.json) return printJson({ opened: null, reason: launch.unavailable, dbPath: result.dbPath, runs: result.runs, skipped: result.skipped })
      console.log(runsTable(result.runs))
      for (const s of result.skipped) console.error(`skipped ${s.file}${s.line ? `:${s.line}` : ''}: ${s.reason}`)
      console.log(`The desktop app cannot start here (${launch.unavailable}), so ${result.runs.length} run(s) were imported into ${result.dbPath}.`)
      console.log(`To view them: swarmscope serve${opts.db ? ` --db ${opts.db}` : ''}   (then open the printed URL), or \`swarmscope runs show latest\`.`)
    })
}
