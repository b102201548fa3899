import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import type { LiveServices } from '../../server/live-services'
import { newToken } from '../../server/auth'
import { CliError, openCore, type GlobalOptions } from '../context'
import { packageRoot } from '../package-root'
import { addLiveOptions } from '../live-options'

const defaultRendererDir = () => process.env.SWARMSCOPE_RENDERER_DIR ?? join(packageRoot(), 'out/renderer')

/** Opens the system browser when a person is likely to see it; never in CI or over SSH without a display. */
function openBrowser(url: string): void {
  if (process.env.CI) return
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open'
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return
  const args = process.platform === 'win32' ? ['/c', 'start', '""', url] : [url]
  try {
    spawn(cmd, args, { stdio: 'ignore', detached: true }).on('error', () => undefined).unref()
  } catch {
    // No browser opener here: the printed URL is enough.
  }
}

export function registerServe(program: Command): void {
  addLiveOptions(program.command('serve'))
    .description('run the local host: the Swarmscope UI and API in any browser, on 127.0.0.1 with a token')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '7420')
    .option('--no-open', 'do not open a browser')
    .option('--mcp-anonymize', 'MCP at /mcp answers under pseudonyms, one salt while serve runs (default: the privacy.anonymizeMcp setting)')
    .addHelpText('after', '\nExamples:\n  SWARMSCOPE_TOKEN=secret swarmscope serve --port 7420 --no-open\n  swarmscope serve --mcp-anonymize   # agents asking over /mcp see run-8fb5, agent-3f9a, never the names')
    .action(async (o: { port: string; open: boolean; mcpAnonymize?: boolean }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const port = Number(o.port)
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be a port number, got "${o.port}"`, 2)
      const rendererDir = defaultRendererDir()
      if (!existsSync(`${rendererDir}/index.html`)) console.error(`note: the UI is not built (${rendererDir}); run \`npm run build\`. Serving the API only.`)
      // Loaded on use: the host brings ws, prom-client and the MCP SDK, which other commands never need.
      const [{ startHost }, { startLive }, { startReportScheduler }] = await Promise.all([import('../../server/host'), import('../live-start'), import('../../core/reports/schedule/loop')])
      const core = openCore(opts)
      const token = newToken()
      const host = await startHost({ core, token, port, rendererDir, mcpAnonymize: o.mcpAnonymize }).catch((e: NodeJS.ErrnoException) => {
        core.close()
        throw new CliError(e.code === 'EADDRINUSE' ? `port ${port} is in use; pass --port 0 for a free one` : e.message)
      })
      console.log(`Swarmscope is running at ${host.url}`)
      console.log(`data: ${core.dbPath}`)
      if (o.mcpAnonymize) console.log('MCP at /mcp answers under pseudonyms')
      // Heard before the live services start, which say they are up: a Ctrl-C or SIGTERM right after
      // that line killed the process outright, leaving its scratch folder and the store's WAL.
      let live: LiveServices | null = null
      const stop = async () => {
        await live?.stop()
        await host.close()
        core.close()
        process.exit(0)
      }
      process.on('SIGINT', stop)
      process.on('SIGTERM', stop)
      // Live collection: OTLP receiver, folder tails, claude-flow connectors, hook spool (--help lists the options).
      live = await startLive(core, { token, hostPort: host.port }, cmd)
      startReportScheduler(core) // scheduled reports (swarmscope report schedule …) are made while serve runs
      if (o.open) openBrowser(host.url)
    })
}
