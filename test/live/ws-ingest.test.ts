import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createCore, type Core } from '../../src/core'
import { startHost, type Host } from '../../src/server/host'
import { tempDir } from '../helpers/temp'
import { count, IngestClient, rows, TOKEN, until } from './helpers'

let core: Core
let host: Host
let dbPath: string
afterEach(async () => {
  await host?.close()
  core?.close()
})

async function start() {
  dbPath = join(tempDir(), 'live.db')
  core = createCore({ path: dbPath })
  host = await startHost({ core, token: TOKEN, port: 0 })
}

const events = (runId: string, from: number, n: number) => Array.from({ length: n }, (_, k) => ({ type: 'event', runId, id: `e${from + k}`, ts: 1767261600000 + from + k, name: 'tick' }))

describe('WebSocket ingest, protocol v1', () => {
  it('acks a batch only once a separate reader can see every accepted record', async () => {
    await start()
    const c = await IngestClient.open(host.port)
    expect(c.messages[0]).toMatchObject({ type: 'hello', protocol: 1, window: 8 })
    const ack = await c.send(7, [{ v: 1, type: 'run', id: 'r1', name: 'first' }, ...events('r1', 0, 250), { type: 'span', id: 's1', kind: 'llm', name: 'claude-sonnet-4-5', start: 1767261600000, end: 1767261601000, inputTokens: 10, outputTokens: 2, model: 'claude-sonnet-4-5' }])
    // At the moment of the ack, a second connection already sees the rows: they are committed.
    expect(count(dbPath, 'SELECT COUNT(*) FROM events WHERE run_id = ?', 'r1')).toBe(250)
    expect(rows(dbPath, 'SELECT id, kind, input_tokens FROM spans WHERE run_id = ?', 'r1')).toEqual([{ id: 's1', kind: 'llm', input_tokens: 10 }])
    expect(ack).toEqual({ type: 'ack', seq: 7, accepted: 252, sampledOut: 0, rejected: [] })
    c.close()
  })

  it('reports invalid records by index with the file reader’s message and stores the rest', async () => {
    await start()
    const c = await IngestClient.open(host.port)
    const ack = await c.send(0, [{ type: 'run', id: 'r2' }, { type: 'span', id: 'x', kind: 'nope', name: 'n' }, { type: 'event', name: 'no time' }, ...events('r2', 0, 3), 'text'])
    expect(ack.accepted).toBe(4)
    expect(ack.rejected!.map((r) => r.index)).toEqual([1, 2, 6])
    expect(ack.rejected![0].reason).toMatch(/^span record: kind: /)
    expect(ack.rejected![1].reason).toMatch(/event record: ts: required/)
    expect(count(dbPath, 'SELECT COUNT(*) FROM events WHERE run_id = ?', 'r2')).toBe(3)
    // Records without runId belong to the connection's latest run record, across batches too.
    await c.send(1, events('', 10, 2).map(({ runId: _r, ...e }) => e))
    expect(count(dbPath, 'SELECT COUNT(*) FROM events WHERE run_id = ?', 'r2')).toBe(5)
    c.close()
  })

  it('answers protocol errors without closing, and refuses connections without the token or with another protocol', async () => {
    await start()
    const c = await IngestClient.open(host.port)
    c.ws.send('{"type":"bogus"}')
    c.ws.send('not json')
    await until('two errors', () => c.messages.filter((m) => m.type === 'error').length === 2)
    expect(c.messages.filter((m) => m.type === 'error').map((m) => m.reason)).toEqual(['unknown message type "bogus"; this server understands "batch"', 'message is not valid JSON'])
    expect((await c.send(1, events('r3', 0, 1))).accepted).toBe(1)
    c.close()
    const noToken = new WebSocket(`ws://127.0.0.1:${host.port}/ingest`)
    expect((await new Promise<Error>((r) => noToken.once('error', r))).message).toMatch(/401/)
    const otherProtocol = new WebSocket(`ws://127.0.0.1:${host.port}/ingest?token=${TOKEN}`, 'swarmscope-ingest.v2')
    expect((await new Promise<Error>((r) => otherProtocol.once('error', r))).message).toMatch(/subprotocol/i)
  })

  it('holds senders back while an import holds the writer, never drops, and stays out of the import’s transaction', async () => {
    await start()
    core.live.setCapacity({ pipeline: 2000 })
    // A 10 MB NDJSON file: over the importer's 8 MB whole-file limit, so it is read in chunks
    // and the event loop (our WebSocket) runs while the import holds the writer.
    const corpus = join(tempDir(), 'big.ndjson')
    const line = (i: number) => JSON.stringify({ type: 'event', runId: 'imported', id: `i${i}`, ts: 1767261600000 + i, name: 'imported.event', attrs: { pad: 'x'.repeat(60) } })
    writeFileSync(corpus, [JSON.stringify({ v: 1, type: 'run', id: 'imported' }), ...Array.from({ length: 90_000 }, (_, i) => line(i))].join('\n') + '\n')
    const importing = core.call('import.paths', { paths: [corpus], importId: 'big' })
    const c = await IngestClient.open(host.port)
    const acks: Promise<unknown>[] = []
    const pausedSeen: boolean[] = []
    const watch = setInterval(() => pausedSeen.push(core.live.health().sources.find((s) => s.kind === 'ws')!.paused), 2)
    for (let seq = 0; seq < 40; seq++) acks.push(c.send(seq, events('bp', seq * 500, 500)))
    // While the import runs, nothing commits; cancelling it rolls back only the import.
    await until('the ingest to be held back', () => pausedSeen.includes(true), 20_000)
    await core.call('import.cancel', { importId: 'big' })
    const imported = await importing
    clearInterval(watch)
    expect(imported.ok).toBe(false)
    await Promise.all(acks)
    expect(count(dbPath, "SELECT COUNT(*) FROM events WHERE run_id = 'bp'")).toBe(20_000)
    expect(count(dbPath, "SELECT COUNT(*) FROM runs WHERE id = 'imported'")).toBe(0)
    const ws = core.live.health().sources.find((s) => s.kind === 'ws')!
    expect(ws).toMatchObject({ written: 20_000, dropped: 0, queueDepth: 0, paused: false })
    c.close()
  })
})
