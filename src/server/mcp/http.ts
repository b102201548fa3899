import type { IncomingMessage, ServerResponse } from 'node:http'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import { createMcpServer, type CoreCaller } from './tools'

const MAX_BODY = 4 * 1024 * 1024

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length
    if (size > MAX_BODY) throw Object.assign(new Error('request body too large'), { status: 413 })
    chunks.push(c)
  }
  if (size === 0) return undefined
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw Object.assign(new Error('request body is not valid JSON'), { status: 400 })
  }
}

/**
 * MCP over streamable HTTP at /mcp, stateless: each request gets its own server and transport,
 * so nothing is kept between requests and any number of clients can call. The host has checked
 * the token, Host and Origin before this runs. `core` is the real core, or the host's anonymized
 * view of it (privacy.anonymizeMcp, `serve --mcp-anonymize`).
 */
export async function handleMcpRequest(core: CoreCaller, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = req.method === 'POST' ? await readBody(req) : undefined
  const server = createMcpServer(core)
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true })
  res.on('close', () => {
    void transport.close()
    void server.close()
  })
  await server.connect(transport)
  await transport.handleRequest(req, res, body)
}
