import type { Command } from 'commander'
import { openCore, type GlobalOptions } from '../context'

export function registerMcp(program: Command): void {
  program
    .command('mcp')
    .description('a Model Context Protocol server on stdin/stdout: lets an agent query its stored runs (list_runs, run_summary, find_bottlenecks, compare_runs, …)')
    .addHelpText(
      'after',
      '\nExamples:\n  claude mcp add swarmscope -- npx swarmscope mcp\n  claude mcp add --scope project swarmscope -- npx swarmscope mcp   # .mcp.json: every agent a claude-flow swarm starts here gets the tools\n  swarmscope --db ./team.db mcp\n\nOver HTTP, `swarmscope serve` answers MCP at http://127.0.0.1:7420/mcp (token required).',
    )
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      // Loaded here, not at start-up: the SDK takes half a second to load and only this command needs it.
      const [{ StdioServerTransport }, { createMcpServer }] = await Promise.all([import('@modelcontextprotocol/sdk/server/stdio.js'), import('../../server/mcp/tools')])
      const core = openCore(opts)
      const server = createMcpServer(core)
      const transport = new StdioServerTransport()
      // Standard output belongs to the protocol: nothing else may be printed there.
      const stop = async () => {
        await server.close().catch(() => undefined)
        core.close()
        process.exit(0)
      }
      transport.onclose = () => void stop()
      process.stdin.on('end', () => void stop())
      process.on('SIGINT', () => void stop())
      process.on('SIGTERM', () => void stop())
      await server.connect(transport)
    })
}
