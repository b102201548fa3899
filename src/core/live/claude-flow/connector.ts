import { VERSION } from '../../../shared/version'
import type { LiveHub } from '../hub'
import type { LiveSource } from '../source'
import { JsonRpcSocket, RpcError } from './rpc'
import { SwarmTracker, type PollResult } from './tracker'

// Connects to a claude-flow MCP server over WebSocket and polls it into a live run. On any
// failure it reconnects with exponential backoff and full jitter; after FAILED_AFTER failures
// in a row the source shows `failed` but keeps trying at the longest interval, so a swarm
// started later is still picked up. Other sources are unaffected: each connector has its
// own source, queue and timers.

export interface ConnectorOptions {
  pollMs?: number
  /** Per-request timeout (default 5 s). */
  timeoutMs?: number
  backoffBaseMs?: number
  backoffMaxMs?: number
  /** Random source for the jitter (tests pass a fixed one). */
  random?: () => number
}

const TOOLS = { swarm: 'swarm_status', agents: 'agent_list', tasks: 'task_list', metrics: 'system/metrics' } as const
type Part = keyof typeof TOOLS
const FAILED_AFTER = 5

/** Full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): uniform in [0, min(max, base·2^attempt)]. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  return Math.round(random() * Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30)))
}

/** A tool's JSON answer: `{content:[{type:"text",text:"<JSON>"}]}`; isError or non-JSON text is an error. */
function toolJson(result: unknown, tool: string): unknown {
  const r = result as { content?: { type?: string; text?: string }[]; isError?: boolean } | null
  const text = r?.content?.find((c) => c.type === 'text')?.text
  if (r?.isError) throw new Error(`${tool}: ${text?.slice(0, 200) ?? 'error'}`)
  if (typeof text !== 'string') throw new Error(`${tool}: no text content in the answer`)
  try {
    return JSON.parse(text)
  } catch {
    throw new Error(`${tool}: answer is not JSON (${text.slice(0, 80)})`)
  }
}

export class ClaudeFlowConnector {
  private socket: JsonRpcSocket | null = null
  private timer: ReturnType<typeof setTimeout> | null = null
  private failures = 0
  private stopped = false
  private readonly unsupported = new Set<Part>()
  readonly tracker: SwarmTracker
  /** Polls completed (for tests and health). */
  polls = 0

  constructor(
    private readonly hub: LiveHub,
    readonly url: string,
    readonly source: LiveSource,
    private readonly opts: ConnectorOptions = {},
  ) {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)
    this.tracker = new SwarmTracker(`cf-live-${url.replace(/^wss?:\/\//, '').replace(/[^\w.-]+/g, '_')}-${stamp}`, url)
    source.detail = { url, runId: this.tracker.runId, pollMs: opts.pollMs ?? 1000, polls: 0 }
  }

  start(): void {
    void this.connect()
  }

  stop(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.socket?.close()
    this.source.setState('stopped')
  }

  private get timeout() {
    return this.opts.timeoutMs ?? 5000
  }

  private async connect(): Promise<void> {
    if (this.stopped) return
    try {
      const socket = await JsonRpcSocket.connect(this.url, this.timeout)
      if (this.stopped) return socket.close()
      await socket.call('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'swarmscope', version: VERSION } }, this.timeout)
      socket.notify('notifications/initialized')
      socket.onClose = (e) => this.lost(e)
      this.socket = socket
      this.failures = 0
      this.source.setState('connected')
      this.schedule(0)
    } catch (e) {
      this.retry(e as Error)
    }
  }

  private lost(e: Error): void {
    this.socket = null
    if (this.timer) clearTimeout(this.timer)
    if (!this.stopped) this.retry(e)
  }

  private retry(e: Error): void {
    if (this.stopped) return
    this.failures++
    const delay = backoffDelay(this.failures - 1, this.opts.backoffBaseMs ?? 500, this.opts.backoffMaxMs ?? 30_000, this.opts.random ?? Math.random)
    this.source.setState(this.failures >= FAILED_AFTER ? 'failed' : 'retrying', e.message)
    this.source.retry = { attempt: this.failures, nextAt: Date.now() + delay }
    this.timer = setTimeout(() => void this.connect(), delay)
    this.timer.unref?.()
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => void this.poll(), ms)
    this.timer.unref?.()
  }

  private async poll(): Promise<void> {
    const socket = this.socket
    if (!socket || this.stopped) return
    const started = Date.now()
    const result: PollResult = { at: started, latencyMs: {} }
    const parts = (Object.keys(TOOLS) as Part[]).filter((p) => !this.unsupported.has(p))
    await Promise.all(
      parts.map(async (part) => {
        const tool = TOOLS[part]
        const t0 = performance.now()
        try {
          result[part] = toolJson(await socket.call('tools/call', { name: tool, arguments: {} }, this.timeout), tool)
          result.latencyMs![tool] = performance.now() - t0
        } catch (e) {
          // An older or trimmed server without this tool: stop asking for it.
          if ((e instanceof RpcError && e.code === -32601) || /tool not found/i.test((e as Error).message)) this.unsupported.add(part)
          this.source.fail(e)
        }
      }),
    )
    if (socket !== this.socket) return
    try {
      await this.hub.write(this.source, this.tracker.records(result))
      this.polls++
      this.source.detail.polls = this.polls
      this.source.detail.unsupported = [...this.unsupported].map((p) => TOOLS[p]).join(',') || null
    } catch (e) {
      this.source.fail(e)
    }
    if (!this.stopped && socket === this.socket) this.schedule(Math.max(0, (this.opts.pollMs ?? 1000) - (Date.now() - started)))
  }
}
