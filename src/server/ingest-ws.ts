import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import type { Core } from '../core'
import { parseLiveRecord } from '../core/live/fast-ndjson'
import type { NdjsonContext, NdjsonRecord } from '../core/ingest/ndjson/schema'
import { VERSION } from '../shared/version'

// The live WebSocket ingest, protocol v1 (docs/protocol.md): clients send batches of
// Swarmscope NDJSON records and get an ack per batch once it is committed.

export const INGEST_PATH = '/ingest'
export const INGEST_PROTOCOL = 'swarmscope-ingest.v1'
export const MAX_BATCH_BYTES = 16 * 1024 * 1024
export const MAX_BATCH_RECORDS = 10_000
/** Unacknowledged batches per connection before the server stops reading from it. */
export const WINDOW = 8
const SOURCE_ID = 'ws-ingest'

interface Envelope {
  type: 'batch'
  seq: number
  records: unknown[]
}

function envelopeOf(data: RawData): Envelope | string {
  let msg: unknown
  try {
    msg = JSON.parse(data.toString())
  } catch {
    return 'message is not valid JSON'
  }
  if (typeof msg !== 'object' || msg === null) return 'message is not a JSON object'
  const m = msg as Record<string, unknown>
  if (m.type !== 'batch') return `unknown message type ${JSON.stringify(m.type)?.slice(0, 40)}; this server understands "batch"`
  if (!Number.isSafeInteger(m.seq) || (m.seq as number) < 0) return '"seq" must be a non-negative integer'
  if (!Array.isArray(m.records)) return '"records" must be an array'
  if (m.records.length > MAX_BATCH_RECORDS) return `too many records in one batch (${m.records.length} > ${MAX_BATCH_RECORDS})`
  return m as unknown as Envelope
}

/**
 * Accepts upgrades on /ingest (the host checks Host, Origin and token first). Backpressure:
 * a connection with WINDOW batches waiting for their commit, or any connection while the
 * store's queue is full, is not read from until that clears, so senders slow down and
 * nothing is dropped.
 */
export function createIngestEndpoint(core: Core) {
  const hub = core.live
  // Each connection is bounded by its window; this bound is for all of them together.
  const source = hub.source(SOURCE_ID, 'ws', `WebSocket ingest ${INGEST_PATH}`, 200_000)
  source.setState('listening')
  source.detail = { path: INGEST_PATH, protocol: INGEST_PROTOCOL, clients: 0 }
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_BATCH_BYTES,
    // No subprotocol offered means v1; an offer without v1 is refused rather than misread.
    handleProtocols: (offered) => (offered.has(INGEST_PROTOCOL) ? INGEST_PROTOCOL : false),
  })
  const paused = new Set<() => void>()
  const recheck = setInterval(() => paused.forEach((check) => check()), 5)
  recheck.unref?.()

  wss.on('connection', (ws: WebSocket) => {
    source.detail.clients = wss.clients.size
    const ctx: NdjsonContext = { runId: null, versioned: true }
    let inFlight = 0
    let acks: Promise<void> = Promise.resolve()
    const send = (m: unknown): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m))
    }
    const check = () => {
      if (ws.isPaused && inFlight < WINDOW && hub.hasRoom(source)) {
        ws.resume()
        paused.delete(check)
        source.paused = paused.size > 0
      }
    }
    send({ type: 'hello', protocol: 1, server: `swarmscope ${VERSION}`, maxRecordsPerBatch: MAX_BATCH_RECORDS, maxBytes: MAX_BATCH_BYTES, window: WINDOW })

    ws.on('message', (data, isBinary) => {
      const env = isBinary ? 'binary frames are not part of the protocol; send text' : envelopeOf(data)
      if (typeof env === 'string') {
        source.rejected++
        return send({ type: 'error', reason: env })
      }
      const records: NdjsonRecord[] = []
      const rejected: { index: number; reason: string }[] = []
      env.records.forEach((obj, index) => {
        try {
          const rec = parseLiveRecord(obj, index, ctx)
          if (rec.type === 'run') ctx.runId = rec.record.id
          records.push(rec)
        } catch (e) {
          rejected.push({ index, reason: (e as Error).message })
        }
      })
      source.received += rejected.length
      source.rejected += rejected.length
      inFlight++
      const written = hub.write(source, records, { sample: true })
      if (inFlight >= WINDOW || !hub.hasRoom(source)) {
        ws.pause()
        paused.add(check)
        source.paused = true
      }
      // Acks go out in the order batches came in, each after its own commit.
      acks = acks.then(() =>
        written.then(
          (r) => send({ type: 'ack', seq: env.seq, accepted: r.written, sampledOut: r.sampledOut, rejected }),
          (e: Error) => send({ type: 'nack', seq: env.seq, retry: true, reason: `not stored: ${e.message}` }),
        ),
      ).finally(() => {
        inFlight--
        check()
      })
    })
    ws.on('close', () => {
      paused.delete(check)
      source.paused = paused.size > 0
      source.detail.clients = wss.clients.size
    })
    ws.on('error', (e) => source.fail(e))
  })

  return {
    wss,
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
    },
    close(): void {
      clearInterval(recheck)
      for (const c of wss.clients) c.terminate()
      wss.close()
      source.setState('stopped')
    },
  }
}
