import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createGunzip, createInflate } from 'node:zlib'
import type { Core } from '../core'
import { mapOtlpRequest, type OtlpBatch } from '../core/ingest/otlp/map'
import type { NdjsonRecord } from '../core/ingest/ndjson/schema'
import { LineError } from '../core/ingest/records'
import { decodeOtlpProtobuf, encodeExportResponse, encodeRpcStatus, type OtlpSignal } from '../core/live/otlp-protobuf'
import { hasToken, isLocalRequest } from './auth'
import { withoutBom } from '../core/ingest/bom'

// OTLP/HTTP receiver (https://opentelemetry.io/docs/specs/otlp/#otlphttp): POST /v1/traces,
// /v1/metrics and /v1/logs, JSON or protobuf, optionally gzip- or deflate-compressed.
// Answers only after the records are committed; 413 over the size limit (the one place live
// data is dropped, and counted), 503 with Retry-After while the store's queue is full (the
// exporters retry those), 400 for bodies that do not decode.

export const DEFAULT_OTLP_PORT = 4318
const PATHS: Record<string, OtlpSignal> = { '/v1/traces': 'traces', '/v1/metrics': 'metrics', '/v1/logs': 'logs' }
const KEYS: Record<OtlpSignal, string> = { traces: 'resourceSpans', metrics: 'resourceMetrics', logs: 'resourceLogs' }
const REJECTED: Record<OtlpSignal, string> = { traces: 'rejectedSpans', metrics: 'rejectedDataPoints', logs: 'rejectedLogRecords' }

export interface OtlpReceiverOptions {
  core: Core
  token: string
  port?: number
  /** Largest request body, after decompression (default 16 MiB). */
  maxBodyBytes?: number
  /** How long a request may wait for room in the store's queue before 503 (default 5 s). */
  queueWaitMs?: number
}

export interface OtlpReceiver {
  server: Server
  port: number
  url: string
  close(): Promise<void>
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message)
  }
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase()
  if (!['identity', 'gzip', 'deflate'].includes(encoding)) throw new HttpError(415, `unsupported Content-Encoding ${encoding}; use gzip or none`)
  const declared = Number(req.headers['content-length'] ?? NaN)
  if (encoding === 'identity' && declared > limit) throw new HttpError(413, `request body of ${declared} bytes is over the ${limit}-byte limit`)
  const stream = encoding === 'gzip' ? req.pipe(createGunzip()) : encoding === 'deflate' ? req.pipe(createInflate()) : req
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const c of stream as AsyncIterable<Buffer>) {
      size += c.length
      // Counted after decompression: a small gzip bomb is stopped here too.
      if (size > limit) throw new HttpError(413, `request body is over the ${limit}-byte limit${encoding === 'identity' ? '' : ' once decompressed'}`)
      chunks.push(c)
    }
  } catch (e) {
    if (e instanceof HttpError) throw e
    throw new HttpError(400, `could not read the ${encoding} body: ${(e as Error).message}`)
  }
  return Buffer.concat(chunks)
}

/** An OTLP batch as records, in the order the store's foreign keys need: runs first. */
function recordsOf(b: OtlpBatch): NdjsonRecord[] {
  return [
    ...b.runs.map((record) => ({ type: 'run' as const, record })),
    ...b.agents.map((record) => ({ type: 'agent' as const, record })),
    ...b.spans.map((record) => ({ type: 'span' as const, record })),
    ...b.events.map((record) => ({ type: 'event' as const, record })),
    ...b.metrics.map((record) => ({ type: 'metric' as const, record })),
  ]
}

export async function startOtlpReceiver(opts: OtlpReceiverOptions): Promise<OtlpReceiver> {
  const { core, token } = opts
  const limit = opts.maxBodyBytes ?? 16 * 1024 * 1024
  const hub = core.live
  let port = 0
  const source = hub.source('otlp-http', 'otlp', 'OTLP/HTTP receiver')

  const server = createServer((req, res) => {
    void handle(req, res).catch((e: Error) => reply(res, 'json', 500, { code: 13, message: e.message }))
  })

  function reply(res: ServerResponse, as: 'json' | 'protobuf', status: number, body: { code?: number; message?: string; ok?: { signal: OtlpSignal; rejected: number; message: string } }, headers: Record<string, string> = {}): void {
    if (res.headersSent) return
    let payload: Uint8Array | string
    if (body.ok) {
      const { signal, rejected, message } = body.ok
      payload = as === 'protobuf' ? encodeExportResponse(rejected, message) : JSON.stringify(rejected || message ? { partialSuccess: { [REJECTED[signal]]: rejected, errorMessage: message } } : {})
    } else payload = as === 'protobuf' ? encodeRpcStatus(body.code ?? 2, body.message ?? '') : JSON.stringify({ code: body.code ?? 2, message: body.message ?? '' })
    res.writeHead(status, { 'content-type': as === 'protobuf' ? 'application/x-protobuf' : 'application/json', ...headers })
    res.end(payload)
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
    const as = type === 'application/x-protobuf' ? 'protobuf' : 'json'
    // Status codes per the gRPC mapping the spec uses for bodies: 3 invalid argument, 16 unauthenticated…
    if (!isLocalRequest(req, port)) return reply(res, as, 403, { code: 7, message: 'requests must come from this machine' })
    if (!hasToken(req, url, token)) return reply(res, as, 401, { code: 16, message: 'missing or wrong token (Authorization: Bearer <token> or x-swarmscope-token)' })
    const signal = PATHS[url.pathname]
    if (!signal) return reply(res, as, 404, { code: 5, message: `no OTLP endpoint ${url.pathname}; use /v1/traces, /v1/metrics or /v1/logs` })
    if (req.method !== 'POST') return reply(res, as, 405, { code: 12, message: 'use POST' }, { allow: 'POST' })
    // What was refused for its content is the source's last error (live health), whatever the reason.
    const refuse = (status: number, body: { code: number; message: string }, headers: Record<string, string> = {}, kind: 'json' | 'protobuf' = as) => {
      source.fail(new Error(`${status}: ${body.message}`))
      reply(res, kind, status, body, headers)
    }
    if (type !== 'application/json' && type !== 'application/x-protobuf') {
      req.resume()
      return refuse(415, { code: 3, message: `unsupported Content-Type ${type || '(none)'}; use application/json or application/x-protobuf` }, {}, 'json')
    }
    let body: Buffer
    try {
      body = await readBody(req, limit)
    } catch (e) {
      const err = e instanceof HttpError ? e : new HttpError(400, (e as Error).message)
      if (err.status === 413) source.dropped++
      req.resume()
      return refuse(err.status, { code: err.status === 413 ? 8 : 3, message: err.message }, err.status === 413 ? { connection: 'close' } : {})
    }
    let request: Record<string, unknown>
    try {
      request = as === 'protobuf' ? decodeOtlpProtobuf(signal, body) : (JSON.parse(withoutBom(body.toString('utf8')) || '{}') as Record<string, unknown>)
      if (typeof request !== 'object' || request === null || Array.isArray(request)) throw new Error('expected a JSON object')
    } catch (e) {
      source.rejected++
      return refuse(400, { code: 3, message: `malformed ${as} ${signal} request: ${(e as Error).message}` })
    }
    // An export with nothing in it is valid and answered as a success.
    if (!Array.isArray(request[KEYS[signal]]) || (request[KEYS[signal]] as unknown[]).length === 0) return reply(res, as, 200, { ok: { signal, rejected: 0, message: '' } })
    let batch: OtlpBatch
    try {
      batch = mapOtlpRequest(request)
    } catch (e) {
      if (!(e instanceof LineError)) throw e
      source.rejected++
      return refuse(400, { code: 3, message: e.message })
    }
    // Full queue: wait a little, then ask the exporter to retry (its retry has backoff).
    if (!hub.hasRoom(source) && !(await waitForRoom())) return reply(res, as, 503, { code: 14, message: 'Swarmscope is catching up; retry later' }, { 'retry-after': '1' })
    source.rejected += batch.problems.length
    source.received += batch.problems.length
    try {
      await hub.write(source, recordsOf(batch), { sample: true })
    } catch (e) {
      return reply(res, as, 503, { code: 14, message: `not stored, retry: ${(e as Error).message}` }, { 'retry-after': '1' })
    }
    const shown = batch.problems.slice(0, 5).join('; ')
    reply(res, as, 200, { ok: { signal, rejected: batch.problems.length, message: batch.problems.length > 5 ? `${shown}; …` : shown } })
  }

  async function waitForRoom(): Promise<boolean> {
    const deadline = Date.now() + (opts.queueWaitMs ?? 5000)
    while (Date.now() < deadline) {
      if (hub.hasRoom(source)) return true
      await new Promise((r) => setTimeout(r, 10))
    }
    return hub.hasRoom(source)
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => {
      source.setState('failed', (e as Error).message)
      reject(e)
    })
    server.listen(opts.port ?? DEFAULT_OTLP_PORT, '127.0.0.1', () => resolve())
  })
  port = (server.address() as AddressInfo).port
  source.setState('listening')
  source.detail = { url: `http://127.0.0.1:${port}`, maxBodyBytes: limit }
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    async close() {
      source.setState('stopped')
      server.closeAllConnections?.()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}
