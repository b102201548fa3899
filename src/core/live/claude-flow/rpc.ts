import WebSocket from 'ws'

// A minimal JSON-RPC 2.0 client over one WebSocket, as claude-flow's MCP server speaks it
// (`claude-flow mcp start -t websocket`): requests with ids, answers matched by id, no
// server pushes expected (any that come are ignored).

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message)
  }
}

export class JsonRpcSocket {
  private nextId = 1
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>()
  private closedWith: Error | null = null
  onClose: (e: Error) => void = () => undefined

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => this.receive(String(data)))
    ws.on('close', (code, reason) => this.closed(new Error(`connection closed (${code}${reason.length ? ` ${String(reason)}` : ''})`)))
    ws.on('error', (e) => this.closed(e))
  }

  static connect(url: string, timeoutMs: number): Promise<JsonRpcSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { handshakeTimeout: timeoutMs, maxPayload: 64 * 1024 * 1024 })
      const fail = (e: Error) => {
        ws.removeAllListeners()
        ws.on('error', () => undefined)
        ws.terminate()
        reject(e)
      }
      ws.once('error', fail)
      ws.once('unexpected-response', (_req, res) => fail(new Error(`HTTP ${res.statusCode} instead of a WebSocket`)))
      ws.once('open', () => {
        ws.removeListener('error', fail)
        resolve(new JsonRpcSocket(ws))
      })
    })
  }

  call(method: string, params: unknown, timeoutMs: number): Promise<unknown> {
    if (this.closedWith) return Promise.reject(this.closedWith)
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id)
        reject(new Error(`${method}: no answer within ${timeoutMs} ms`))
      }, timeoutMs)
      this.waiting.set(id, { resolve, reject, timer })
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }))
    })
  }

  notify(method: string, params?: unknown): void {
    if (!this.closedWith) this.ws.send(JSON.stringify({ jsonrpc: '2.0', method, ...(params === undefined ? {} : { params }) }))
  }

  close(): void {
    this.ws.close()
    this.closed(new Error('closed by Swarmscope'))
  }

  private receive(text: string): void {
    let msg: { id?: unknown; result?: unknown; error?: { code?: number; message?: string } }
    try {
      msg = JSON.parse(text)
    } catch {
      return
    }
    const w = typeof msg.id === 'number' ? this.waiting.get(msg.id) : undefined
    if (!w) return
    this.waiting.delete(msg.id as number)
    clearTimeout(w.timer)
    if (msg.error) w.reject(new RpcError(msg.error.code ?? -32603, msg.error.message ?? 'error'))
    else w.resolve(msg.result)
  }

  private closed(e: Error): void {
    if (this.closedWith) return
    this.closedWith = e
    for (const w of this.waiting.values()) {
      clearTimeout(w.timer)
      w.reject(e)
    }
    this.waiting.clear()
    this.onClose(e)
  }
}
