import type { Command } from 'commander'
import { createAnonymizedCore } from '../../core/privacy/mirror'
import { addAnonymizeOptions, anonymizeRequest, type AnonymizeFlags } from '../anonymize-options'
import { openCore, type GlobalOptions } from '../context'

export function registerMcp(program: Command): void {
  addAnonymizeOptions(program
    .command('mcp')
    .description('a Model Context Protocol server on stdin/stdout: lets an agent query its stored runs (list_runs, run_summary, find_bottlenecks, compare_runs, …)'), { mapping: false })
    .addHelpText(
      'after',
      '\nExamples:\n  claude mcp add swarmscope -- npx swarmscope mcp\n  claude mcp add swarmscope -- npx swarmscope mcp --anonymize   # every answer under pseudonyms, one salt per session\n  claude mcp add --scope project swarmscope -- npx swarmscope mcp   # .mcp.json: every agent a claude-flow swarm starts here gets the tools\n  swarmscope --db ./team.db mcp\n\nOver HTTP, `swarmscope serve` answers MCP at http://127.0.0.1:7420/mcp (token required).',
    )
    .action(async (o: AnonymizeFlags, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const anonymize = anonymizeRequest(o)
      // Loaded here, not at start-up: the SDK takes half a second to load and only this command needs it.
      const [{ StdioServerTransport }, { createMcpServer }] = await Promise.all([import('@modelcontextprotocol/sdk/server/stdio.js'), import('../../server/mcp/tools')])
      const core = openCore(opts)
      // Anonymized: every answer comes from a copy under pseudonyms, one salt for the whole session.
      const view = anonymize ? createAnonymizedCore(core, anonymize) : null
      const server = createMcpServer(view ?? core)
      const transport = new StdioServerTransport()
      // Standard output belongs to the protocol: nothing else may be printed there.
      const stop = async () => {
        await server.close().catch(() => undefined)
        view?.close()
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
