import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import WebSocket from 'ws'

export const ROOT = new URL('../..', import.meta.url).pathname
export const BIN = join(ROOT, 'bin/swarmscope.mjs')
export const HOOK_BIN = join(ROOT, 'bin/swarmscope-hook.mjs')
export const STREAMER = join(ROOT, 'test/live/fixtures/ws-streamer.mjs')
export const TOKEN = 'live-test-token'

/** Row counts straight from the file, through a connection of our own (what a reader sees after COMMIT). */
export function rows(dbPath: string, sql: string, ...params: unknown[]): Record<string, unknown>[] {
  const db = new Database(dbPath, { readonly: true })
  try {
    return db.prepare(sql).all(...params) as Record<string, unknown>[]
  } finally {
    db.close()
  }
}
export const count = (dbPath: string, sql: string, ...params: unknown[]) => Number(Object.values(rows(dbPath, sql, ...params)[0])[0])

export async function until<T>(what: string, f: () => T | Promise<T>, timeoutMs = 10_000, everyMs = 20): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  let last: T | undefined
  while (Date.now() < deadline) {
    last = await f()
    if (last) return last as NonNullable<T>
    await new Promise((r) => setTimeout(r, everyMs))
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)?.slice(0, 300)})`)
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

/** A minimal protocol-v1 client in this process: send a batch, await its ack. */
export class IngestClient {
  private readonly waiting = new Map<number, (m: Ack) => void>()
  messages: Ack[] = []
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as Ack
      this.messages.push(m)
      if (m.seq !== undefined) this.waiting.get(m.seq)?.(m)
    })
  }
  static async open(port: number, token = TOKEN): Promise<IngestClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ingest`, 'swarmscope-ingest.v1', { headers: { authorization: `Bearer ${token}` } })
    const c = new IngestClient(ws)
    await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)))
    await until('hello', () => c.messages.find((m) => m.type === 'hello'))
    return c
  }
  send(seq: number, records: unknown[]): Promise<Ack> {
    return new Promise((resolve) => {
      this.waiting.set(seq, resolve)
      this.ws.send(JSON.stringify({ type: 'batch', seq, records }))
    })
  }
  close() {
    this.ws.close()
  }
}
export interface Ack {
  type: string
  protocol?: number
  window?: number
  seq?: number
  accepted?: number
  sampledOut?: number
  rejected?: { index: number; reason: string }[]
  reason?: string
}

export interface ServeProcess {
  child: ChildProcess
  port: number
  otlpPort: number | null
  out: string[]
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

/** `swarmscope serve` as a real process; resolves once it printed its addresses. */
export async function startServe(dbPath: string, args: string[] = [], env: Record<string, string> = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, '--db', dbPath, 'serve', '--no-open', ...args], { env: { ...process.env, SWARMSCOPE_TOKEN: TOKEN, CI: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  const out: string[] = []
  let text = ''
  child.stdout!.on('data', (d) => ((text += d), out.push(String(d))))
  child.stderr!.on('data', (d) => out.push(String(d)))
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  const ready: string = await Promise.race([
    until('serve to start', () => (/live ingest: ws:\/\/127\.0\.0\.1:(\d+)/.test(text) ? text : null), 30_000),
    exited.then((code) => Promise.reject(new Error(`serve exited with ${code}: ${out.join('')}`))),
  ])
  const port = Number(/running at http:\/\/127\.0\.0\.1:(\d+)/.exec(ready)![1])
  const otlp = /OTLP\/HTTP receiver at http:\/\/127\.0\.0\.1:(\d+)/.exec(ready)
  return {
    child, port, otlpPort: otlp ? Number(otlp[1]) : null, out,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      return exited
    },
  }
}

/** Runs a node script to its end; resolves with its stdout. */
export function runNode(args: string[], opts: { env?: Record<string, string>; input?: string; onLine?: (line: string) => void } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...opts.env }, cwd: ROOT })
    let stdout = ''
    let stderr = ''
    let partial = ''
    child.stdout.on('data', (d) => {
      stdout += d
      partial += d
      const lines = partial.split('\n')
      partial = lines.pop()!
      lines.forEach((l) => opts.onLine?.(l))
    })
    child.stderr.on('data', (d) => (stderr += d))
    child.on('exit', (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(opts.input ?? '')
  })
}
