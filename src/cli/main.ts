import { Command, CommanderError } from 'commander'
import { VERSION } from '../shared/version'
import { registerAnalyze } from './commands/analyze'
import { registerCompare } from './commands/compare'
import { registerImport } from './commands/import'
import { registerRuns } from './commands/runs'
import { registerServe } from './commands/serve'
import { CliError } from './context'

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

try {
  await program.parseAsync(process.argv)
} catch (e) {
  if (e instanceof CommanderError) {
    // --help and --version end here too, with exit code 0.
    process.exit(e.exitCode)
  }
  const verbose = program.opts().verbose || process.argv.includes('--verbose')
  console.error(`swarmscope: ${(e as Error).message}`)
  if (verbose) console.error((e as Error).stack)
  process.exit(e instanceof CliError ? e.exitCode : 1)
}
