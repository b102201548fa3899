import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { freePort, until } from './helpers'

// The real claude-flow MCP server (npm claude-flow@3.43.0, `mcp start -t websocket`), installed
// once into a scratch folder outside the repository and started per test in an empty project.

export const CLAUDE_FLOW = 'claude-flow@3.43.0'
const PREFIX = join(tmpdir(), 'swarmscope-claude-flow-3.43.0')

/** The claude-flow binary, installing it on first use; null (with the reason) when that is impossible here. */
export function claudeFlowBin(): { bin: string | null; why: string } {
  const bin = process.env.SWARMSCOPE_CLAUDE_FLOW_BIN ?? join(PREFIX, 'node_modules/.bin/claude-flow')
  if (existsSync(bin)) return { bin, why: '' }
  if (process.env.SWARMSCOPE_NO_NETWORK_TESTS) return { bin: null, why: 'SWARMSCOPE_NO_NETWORK_TESTS is set' }
  const r = spawnSync('npm', ['install', '--prefix', PREFIX, '--no-audit', '--no-fund', '--no-save', CLAUDE_FLOW], { encoding: 'utf8', timeout: 280_000 })
  return existsSync(bin) ? { bin, why: '' } : { bin: null, why: `npm install ${CLAUDE_FLOW} failed: ${(r.stderr || String(r.error)).slice(-300)}` }
}

export interface ClaudeFlowServer {
  url: string
  stop(): Promise<void>
}

export async function startClaudeFlow(bin: string, port?: number): Promise<ClaudeFlowServer> {
  const p = port ?? (await freePort())
  const cwd = mkdtempSync(join(tmpdir(), 'swarmscope-cf-project-'))
  const child: ChildProcess = spawn(bin, ['mcp', 'start', '-t', 'websocket', '-p', String(p)], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CLAUDE_FLOW_TELEMETRY: '0' } })
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  await until(`claude-flow to listen on ${p}`, () => out.includes('MCP Server started') || child.exitCode !== null, 60_000, 50)
  if (child.exitCode !== null) throw new Error(`claude-flow exited: ${out.slice(-500)}`)
  return {
    url: `ws://127.0.0.1:${p}/ws`,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM')
        await new Promise((r) => child.once('exit', r))
      }
      rmSync(cwd, { recursive: true, force: true })
    },
  }
}

/** A second, independent JSON-RPC client that drives the swarm (written here with plain ws, not our connector). */
export async function driver(url: string) {
  const ws = new WebSocket(url)
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)))
  let id = 0
  const waiting = new Map<number, (v: unknown) => void>()
  ws.on('message', (d) => {
    const m = JSON.parse(String(d)) as { id: number; result: unknown }
    waiting.get(m.id)?.(m.result)
  })
  const call = (method: string, params: unknown) => new Promise<unknown>((r) => (waiting.set(++id, r), ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }))))
  await call('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test-driver', version: '0' } })
  return {
    tool: async (name: string, args: Record<string, unknown> = {}) => {
      const r = (await call('tools/call', { name, arguments: args })) as { content: { text: string }[] }
      return JSON.parse(r.content[0].text) as Record<string, unknown>
    },
    close: () => ws.close(),
  }
}
