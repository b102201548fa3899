import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createCore, type Core } from '../../src/core'
import { startHost, type Host } from '../../src/server/host'
import { SHOWCASE_MAIN, SHOWCASE_SUB, CC, sessionFacts } from '../helpers/transcript-facts'
import { tempDb } from '../helpers/temp'

const TOKEN = 'test-token-123'
// Loose shapes for the JSON bodies the tests read (the contract's types are checked elsewhere).
interface Body<T = unknown> {
  ok: boolean
  data: T
}
const body = async <T>(res: Response) => (await res.json()) as Body<T>
let host: Host
let core: Core

afterEach(async () => {
  await host?.close()
  core?.close()
})

async function start() {
  core = createCore({ path: tempDb() })
  host = await startHost({ core, token: TOKEN, port: 0 })
  return `http://127.0.0.1:${host.port}`
}

/** A raw request, so tests can send any Host header (fetch forbids setting it). */
function raw(port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    }).on('error', reject).end()
  })
}

describe('local host', () => {
  it('lets the browser keep hashed assets (immutable) and always revalidates the page', async () => {
    const ui = mkdtempSync(join(tmpdir(), 'ui-'))
    mkdirSync(join(ui, 'assets'))
    writeFileSync(join(ui, 'index.html'), '<!doctype html><script type="module" src="./assets/index-D_12G-uL.js"></script>')
    writeFileSync(join(ui, 'assets', 'index-D_12G-uL.js'), 'export {}')
    writeFileSync(join(ui, 'assets', 'plain.js'), 'export {}')
    core = createCore({ path: tempDb() })
    host = await startHost({ core, token: TOKEN, port: 0, rendererDir: ui })
    const get = (path: string) => fetch(`http://127.0.0.1:${host.port}${path}`, { headers: { 'x-swarmscope-token': TOKEN } })
    const hashed = await get('/assets/index-D_12G-uL.js')
    expect(hashed.status).toBe(200)
    expect(hashed.headers.get('cache-control')).toBe('private, max-age=31536000, immutable')
    expect((await get('/')).headers.get('cache-control')).toBe('no-cache')
    expect((await get('/assets/plain.js')).headers.get('cache-control')).toBe('no-cache')
    // A missing hashed name falls back to the page, which must not be kept under that name.
    const missing = await get('/assets/gone-AAAAAAAA.js')
    expect(missing.headers.get('content-type')).toContain('text/html')
    expect(missing.headers.get('cache-control')).toBe('no-cache')
    // Assets still need the token.
    expect((await fetch(`http://127.0.0.1:${host.port}/assets/index-D_12G-uL.js`)).status).toBe(401)
  })

  it('binds 127.0.0.1 only', async () => {
    await start()
    expect((host.server.address() as { address: string }).address).toBe('127.0.0.1')
  })

  it('requires the token on every request and checks Host and Origin', async () => {
    const base = await start()
    expect((await fetch(`${base}/api/v1/runs`)).status).toBe(401)
    expect((await fetch(`${base}/api/v1/runs`, { headers: { 'x-swarmscope-token': 'wrong' } })).status).toBe(401)
    expect((await fetch(`${base}/api/v1/runs`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200)
    expect(await raw(host.port, '/api/v1/runs', { host: `attacker.example:${host.port}`, 'x-swarmscope-token': TOKEN })).toBe(403)
    expect(await raw(host.port, '/api/v1/runs', { host: `127.0.0.1:${host.port}`, origin: 'http://attacker.example', 'x-swarmscope-token': TOKEN })).toBe(403)
  })

  it('serves the contract as REST with Result bodies and HTTP status codes', async () => {
    const base = await start()
    const h = { 'x-swarmscope-token': TOKEN, 'content-type': 'application/json' }
    const imported = await body(await fetch(`${base}/api/v1/imports`, { method: 'POST', headers: h, body: JSON.stringify({ paths: [CC] }) }))
    expect(imported.ok).toBe(true)
    const runs = await body<{ id: string }[]>(await fetch(`${base}/api/v1/runs`, { headers: h }))
    expect(runs.data).toHaveLength(2)
    // Runs by id: in the order asked, each once, ids not stored left out; an empty list is refused.
    const [a, b] = runs.data.map((r) => r.id)
    const some = await body<{ id: string }[]>(await fetch(`${base}/api/v1/runs/by-ids`, { method: 'POST', headers: h, body: JSON.stringify({ ids: [b, 'nope', a, b] }) }))
    expect(some.data.map((r) => r.id)).toEqual([b, a])
    expect(some.data[1]).toEqual(runs.data[0])
    expect((await fetch(`${base}/api/v1/runs/by-ids`, { method: 'POST', headers: h, body: JSON.stringify({ ids: [] }) })).status).toBe(400)
    // Totals: the listed runs added up, in one request; a group with no runs sums to zeros.
    type Listed = Record<'inputTokens' | 'outputTokens' | 'cacheCreationTokens' | 'cacheReadTokens' | 'llmCalls' | 'toolCalls' | 'errors' | 'costUsd', number> & { unpricedModels: string[] }
    const listed = runs.data as unknown as Listed[]
    const sum = (k: keyof Omit<Listed, 'unpricedModels'>) => listed.reduce((n, r) => n + r[k], 0)
    const totals = await body<Record<string, number>>(await fetch(`${base}/api/v1/totals`, { headers: h }))
    expect(totals.data).toMatchObject({
      runs: 2, inputTokens: sum('inputTokens'), outputTokens: sum('outputTokens'), cacheCreationTokens: sum('cacheCreationTokens'),
      cacheReadTokens: sum('cacheReadTokens'), llmCalls: sum('llmCalls'), toolCalls: sum('toolCalls'), errors: sum('errors'),
      runsWithUnpricedModels: listed.filter((r) => r.unpricedModels.length > 0).length,
    })
    expect(totals.data.inputTokens).toBeGreaterThan(0)
    expect(totals.data.costUsd).toBeCloseTo(sum('costUsd'), 9)
    const none = await body<Record<string, number>>(await fetch(`${base}/api/v1/totals?group=no-such-group`, { headers: h }))
    expect(none.data).toEqual({ runs: 0, inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0, llmCalls: 0, toolCalls: 0, errors: 0, costUsd: 0, runsWithUnpricedModels: 0 })
    const missing = await fetch(`${base}/api/v1/runs/nope`, { headers: h })
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({ ok: false, error: { code: 'not_found', message: 'no run with id nope' } })
    const bad = await fetch(`${base}/api/v1/runs/latest/rename`, { method: 'POST', headers: h, body: '{"name": ""}' })
    expect(bad.status).toBe(400)
    expect((await fetch(`${base}/api/v1/runs`, { method: 'PUT', headers: h })).status).toBe(405)
  })

  it('imports uploaded files (the browser drop path) and pushes progress and changes over the stream', async () => {
    const base = await start()
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/v1/stream?token=${TOKEN}`)
    await new Promise((r) => ws.once('open', r))
    const received: string[] = []
    ws.on('message', (m) => received.push(JSON.parse(String(m)).event))
    const h = { 'x-swarmscope-token': TOKEN }
    const { data } = await body<{ uploadId: string }>(await fetch(`${base}/api/v1/uploads`, { method: 'POST', headers: h }))
    for (const [rel, file] of [['55550000-0000-4000-8000-000000000001.jsonl', SHOWCASE_MAIN], ['55550000-0000-4000-8000-000000000001/subagents/agent-showcol1.jsonl', SHOWCASE_SUB]]) {
      const put = await fetch(`${base}/api/v1/uploads/${data.uploadId}/files?path=${encodeURIComponent(rel)}`, { method: 'PUT', headers: h, body: readFileSync(file) })
      expect(put.status).toBe(200)
    }
    const result = await body<{ runs: unknown[] }>(await fetch(`${base}/api/v1/uploads/${data.uploadId}/import`, { method: 'POST', headers: h }))
    const f = sessionFacts([SHOWCASE_MAIN, SHOWCASE_SUB]).get('55550000-0000-4000-8000-000000000001')!
    expect(result.data.runs[0]).toMatchObject({ llmCalls: f.llmCalls, agents: f.agents, inputTokens: f.inputTokens })
    await new Promise((r) => setTimeout(r, 100))
    expect(received).toContain('import.progress')
    expect(received).toContain('runs.changed')
    ws.close()
  })

  it('refuses a stream connection without the token', async () => {
    await start()
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/v1/stream`)
    const err = await new Promise<Error>((r) => ws.once('error', r))
    expect(err.message).toMatch(/401/)
  })

  it('an upload cut off part-way leaves nothing to import; one given up on is removed', async () => {
    const base = await start()
    const h = { 'x-swarmscope-token': TOKEN }
    const { data } = await body<{ uploadId: string }>(await fetch(`${base}/api/v1/uploads`, { method: 'POST', headers: h }))
    // The body is announced at 1 MB and the connection dropped after a transcript's worth of complete lines.
    const lines = readFileSync(SHOWCASE_MAIN, 'utf8')
    await new Promise<void>((resolve) => {
      const req = request(`${base}/api/v1/uploads/${data.uploadId}/files?path=cut.jsonl`, { method: 'PUT', headers: { ...h, 'content-length': 1_000_000 } })
      req.on('error', () => resolve())
      req.write(lines, () => setTimeout(() => (req.destroy(), resolve()), 200))
    })
    await new Promise((r) => setTimeout(r, 200))
    const imported = await body<unknown>(await fetch(`${base}/api/v1/uploads/${data.uploadId}/import`, { method: 'POST', headers: h }))
    expect(imported).toMatchObject({ ok: false, error: { message: 'nothing was uploaded' } })
    expect(await core.call('runs.list', {})).toEqual({ ok: true, data: [] })
    // DELETE removes an upload: it is gone for any later request.
    const other = await body<{ uploadId: string }>(await fetch(`${base}/api/v1/uploads`, { method: 'POST', headers: h }))
    expect((await fetch(`${base}/api/v1/uploads/${other.data.uploadId}`, { method: 'DELETE', headers: h })).status).toBe(200)
    expect((await fetch(`${base}/api/v1/uploads/${other.data.uploadId}/files?path=a.jsonl`, { method: 'PUT', headers: h, body: lines })).status).toBe(404)
  })

  it('rejects upload paths that climb out of the upload folder', async () => {
    const base = await start()
    const h = { 'x-swarmscope-token': TOKEN }
    const { data } = await body<{ uploadId: string }>(await fetch(`${base}/api/v1/uploads`, { method: 'POST', headers: h }))
    const put = await fetch(`${base}/api/v1/uploads/${data.uploadId}/files?path=${encodeURIComponent('../../escape.jsonl')}`, { method: 'PUT', headers: h, body: 'x' })
    expect(put.status).toBe(400)
  })
})
