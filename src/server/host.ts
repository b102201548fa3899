import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'
import type { Core } from '../core'
import { events as eventSchemas, type EventName } from '../shared/contract'
import { hasToken, isLocalRequest, TOKEN_COOKIE } from './auth'
import { matchRoute, pathExists } from './router'
import { serveStatic } from './static'
import { UploadArea } from './uploads'
import { attachIntegrations } from './integrations'
import { createIngestEndpoint, INGEST_PATH } from './ingest-ws'

export interface HostOptions {
  core: Core
  token: string
  port?: number
  /** The built renderer (out/renderer); without it the host serves the API only. */
  rendererDir?: string
  /** MCP at /mcp answers under pseudonyms whatever privacy.anonymizeMcp says (`serve --mcp-anonymize`). */
  mcpAnonymize?: boolean
}

export interface Host {
  server: Server
  port: number
  url: string
  close(): Promise<void>
}

const STATUS_OF: Record<string, number> = {
  bad_request: 400, unauthorized: 401, not_found: 404, conflict: 409, unsupported_format: 415, cancelled: 409, io_error: 500, internal: 500,
}
const MAX_JSON_BODY = 10 * 1024 * 1024

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
  res.end(JSON.stringify(body))
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length
    if (size > MAX_JSON_BODY) throw Object.assign(new Error('request body too large'), { status: 413 })
    chunks.push(c)
  }
  if (size === 0) return {}
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw Object.assign(new Error('request body is not valid JSON'), { status: 400 })
  }
}

/**
 * The local host: the renderer and the contract over HTTP + WebSocket, for any browser.
 * Loopback only, and every request needs the per-launch token.
 */
export async function startHost(opts: HostOptions): Promise<Host> {
  const { core, token } = opts
  const uploads = new UploadArea(core)
  // OpenAPI document, Prometheus /metrics, MCP at /mcp, alert rules on runs.changed.
  const integrations = attachIntegrations(core, { mcpAnonymize: opts.mcpAnonymize })
  let port = 0
  const hasUi = opts.rendererDir !== undefined && existsSync(`${opts.rendererDir}/index.html`)

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (!isLocalRequest(req, port)) return sendJson(res, 403, { ok: false, error: { code: 'unauthorized', message: 'requests must come from this machine' } })
    if (!hasToken(req, url, token)) return sendJson(res, 401, { ok: false, error: { code: 'unauthorized', message: 'missing or wrong token' } })
    try {
      if (url.pathname.startsWith('/api/v1/uploads')) return await uploads.handle(req, res, url)
      if (await integrations.handle(req, res, url)) return
      if (url.pathname.startsWith('/api/')) return await handleApi(req, res, url)
      if (!hasUi) return sendJson(res, 404, { ok: false, error: { code: 'not_found', message: 'the UI is not built; run `npm run build`' } })
      // The page was opened with ?token=: keep it in a same-site cookie for its assets.
      if (url.searchParams.get('token')) res.setHeader('set-cookie', `${TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`)
      serveStatic(opts.rendererDir!, url.pathname, res)
    } catch (e) {
      const status = (e as { status?: number }).status ?? 500
      sendJson(res, status, { ok: false, error: { code: status === 500 ? 'internal' : 'bad_request', message: (e as Error).message } })
    }
  })

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const match = matchRoute(req.method ?? 'GET', url.pathname)
    if (!match) {
      const status = pathExists(url.pathname) ? 405 : 404
      return sendJson(res, status, { ok: false, error: { code: 'not_found', message: `no route ${req.method} ${url.pathname}` } })
    }
    const query = Object.fromEntries([...url.searchParams].filter(([k]) => k !== 'token'))
    const body = req.method === 'GET' || req.method === 'DELETE' ? {} : await readJson(req)
    const input = { ...query, ...(body as object), ...match.params }
    const result = await core.call(match.route, input as never)
    sendJson(res, result.ok ? 200 : (STATUS_OF[result.error.code] ?? 500), result)
  }

  // Push events: every core event goes to every connected, authenticated client.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 })
  // Live ingest (docs/protocol.md): NDJSON batches in, an ack per batch once committed.
  const ingest = createIngestEndpoint(core)
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const live = url.pathname === INGEST_PATH
    if ((url.pathname !== '/api/v1/stream' && !live) || !isLocalRequest(req, port) || !hasToken(req, url, token)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n')
      socket.destroy()
      return
    }
    if (live) return ingest.handleUpgrade(req, socket, head)
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })
  const unsubscribe = (Object.keys(eventSchemas) as EventName[]).map((event) =>
    core.on(event, (payload) => {
      const message = JSON.stringify({ event, payload })
      for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(message)
    }),
  )

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
  })
  port = (server.address() as AddressInfo).port
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    async close() {
      unsubscribe.forEach((u) => u())
      integrations.close()
      ingest.close()
      for (const c of wss.clients) c.terminate()
      wss.close()
      await new Promise<void>((r) => server.close(() => r()))
      uploads.dispose()
    },
  }
}
