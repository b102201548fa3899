import type { Command } from 'commander'
import { DEFAULT_OTLP_PORT } from '../server/otlp-receiver'

// `swarmscope serve`'s live-collection options, kept here so serve.ts stays small.

const collect = (v: string, prev: string[] = []) => [...prev, v]

export function addLiveOptions(cmd: Command): Command {
  return cmd
    .option('--otlp-port <n>', `OTLP/HTTP receiver port (0: any free port; default: live.otlpPort, ${DEFAULT_OTLP_PORT})`, String(DEFAULT_OTLP_PORT))
    .option('--no-otlp', 'do not start the OTLP/HTTP receiver')
    .option('--watch <dir>', 'tail this folder for transcripts and claude-flow files (repeatable; default: Claude Code\'s projects folders and live.watch from the settings)', collect)
    .option('--no-watch', 'do not tail any folder')
    .option('--connect <url>', 'poll a claude-flow MCP WebSocket server, e.g. ws://127.0.0.1:3000/ws (repeatable)', collect)
    .option('--poll-interval <ms>', 'claude-flow polling interval', '1000')
    .option('--system-interval <ms>', 'sample host CPU/memory and swarm processes every <ms> (off by default)')
    .option('--sample-rate <r>', 'keep this fraction of spans and events from WebSocket and OTLP (errors and slow spans always kept)', '1')
    .option('--sample-budget <n>', 'adaptive sampling: keep the rate of incoming records under <n> per second')
    .option('--slow-ms <ms>', 'spans at least this long are never sampled out', '1000')
}

export interface LiveFlags {
  otlpPort: string
  otlp: boolean
  watch?: string[] | false
  connect?: string[]
  pollInterval: string
  systemInterval?: string
  sampleRate: string
  sampleBudget?: string
  slowMs: string
}
