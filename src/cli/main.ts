import { Command, CommanderError } from 'commander'
import { VERSION } from '../shared/version'
import { registerAnalyze } from './commands/analyze'
import { registerBundle } from './commands/bundle'
import { registerCompare } from './commands/compare'
import { registerImport } from './commands/import'
import { registerOpen } from './commands/open'
import { registerRuns } from './commands/runs'
import { registerServe } from './commands/serve'
import { CliError } from './context'
import { registerAlerts } from './commands/alerts'
import { registerConfig } from './commands/config'
import { registerDoctor } from './commands/doctor'
import { registerExport } from './commands/export'
import { registerMcp } from './commands/mcp'
import { registerMonitor } from './commands/monitor'
import { registerPricing } from './commands/pricing'
import { registerReport } from './commands/report'
import { registerVisualize } from './commands/visualize'
import { registerLive } from './commands/live'

const program = new Command()
  .name('swarmscope')
  .description('Profile AI-agent swarms: where the time, tokens and money went.')
  .version(VERSION)
  .option('--db <path>', 'database file (default: $SWARMSCOPE_DB or the data directory)')
  .option('--json', 'print machine-readable JSON')
  .option('--verbose', 'print stack traces on errors')
  .exitOverride()

// One line per command group; each lives in commands/<name>.ts.
for (const register of [registerImport, registerRuns, registerAnalyze, registerCompare, registerServe]) register(program)
for (const register of [registerExport, registerConfig, registerPricing, registerAlerts, registerMcp, registerDoctor, registerMonitor]) register(program)
registerBundle(program)
registerOpen(program)
for (const register of [registerReport, registerVisualize]) register(program)
registerLive(program) // health, hook

try {
  await program.parseAsync(process.argv)
} catch (e) {
  if (e instanceof CommanderError) {
    // --help and --version end here too, with exit code 0; everything else commander refuses
    // (an unknown option, a missing argument) is a bad argument: exit code 2, as documented.
    process.exit(e.exitCode === 0 ? 0 : 2)
  }
  const verbose = program.opts().verbose || process.argv.includes('--verbose')
  console.error(`swarmscope: ${(e as Error).message}`)
  if (verbose) console.error((e as Error).stack)
  process.exit(e instanceof CliError ? e.exitCode : 1)
}
