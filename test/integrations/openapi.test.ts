import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createCore, type Core } from '../../src/core'
import { startHost, type Host } from '../../src/server/host'
import { routeNames, routes, type RouteName } from '../../src/shared/contract'
import { sample, validate } from './json-schema'
import { REAL_FIXTURES, swarmNdjson, writeSwarms } from './swarm-fixture'

// The API tested against its own OpenAPI document: every documented operation is called with
// input built from the document's schemas, and every answer is validated against the documented
// response schema (and re-parsed with the contract's zod schema).

const TOKEN = 'openapi-test-token'
type Json = Record<string, unknown>
interface Operation { operationId: string; parameters?: { name: string; in: string; required: boolean; schema: Json }[]; requestBody?: { content: Record<string, { schema: Json }> }; responses: Record<string, { content?: Record<string, { schema: Json }> }> }

let core: Core
let host: Host
let base: string
let dir: string
let doc: { openapi: string; paths: Record<string, Record<string, Operation>> }
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }

beforeAll(async () => {
  // Not tempDir(): that folder is removed after each test, and this one lives for the suite.
  dir = mkdtempSync(join(tmpdir(), 'swarmscope-openapi-'))
  const runs = join(dir, 'runs')
  mkdirSync(runs)
  writeSwarms(runs, [{ runId: 'swarm-a', seed: 1, errorEvery: 5, slowCalls: [3] }, { runId: 'swarm-b', seed: 2 }, { runId: 'doomed', seed: 3, callsPerAgent: 3 }])
  core = createCore({ path: join(dir, 'api.db') })
  const r = await core.call('import.paths', { paths: [runs, `${REAL_FIXTURES}claude-code-jsonl`] })
  expect(r.ok).toBe(true)
  host = await startHost({ core, token: TOKEN, port: 0 })
  base = `http://127.0.0.1:${host.port}`
  doc = await (await fetch(`${base}/api/v1/openapi.json`, { headers })).json()
})
afterAll(async () => {
  await host?.close()
  core?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Values the schemas cannot know: ids that exist, paths in the test's folder, a valid setting. */
function pick(name: string, schema: Json): unknown {
  const known: Record<string, unknown> = {
    id: 'swarm-a', runId: 'swarm-a', spanId: 'main-llm0', baseline: 'swarm-a', candidates: ['swarm-b'], runs: ['swarm-a'], runIds: ['swarm-a'], ids: ['swarm-b', 'swarm-a'],
    target: 'swarm-a', paths: [join(dir, 'runs')], values: { 'metrics.recentRuns': 5 }, match: 'claude-haiku-4-5', metric: 'llm_latency_ms',
    out: join(dir, 'out.swarmscope'), path: join(dir, 'out.swarmscope'), outDir: join(dir, 'reports'), importId: 'no-such-import',
    deliveries: [{ ts: Date.now(), hook: { hook_event_name: 'Notification', session_id: 'openapi-hook' } }],
  }
  if (name in known && !schema.enum && (schema.type === undefined || schema.type === typeOf(known[name]))) return known[name]
  return undefined
}
const typeOf = (v: unknown) => (Array.isArray(v) ? 'array' : v !== null && typeof v === 'object' ? 'object' : typeof v)

function expectValid(schema: Json | undefined, value: unknown, where: string) {
  expect(schema, `${where}: documented schema`).toBeDefined()
  expect(validate(schema!, value), where).toEqual([])
}

async function callOperation(path: string, method: string, op: Operation): Promise<{ status: number; body: unknown }> {
  const params = op.parameters ?? []
  let url = path
  const query = new URLSearchParams()
  for (const p of params) {
    const value = p.in === 'path' && p.name === 'id' && method === 'delete' ? 'doomed' : sample(p.schema, p.name, pick)
    if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(String(value)))
    else if (p.required || p.name === 'format') query.set(p.name, typeof value === 'object' ? JSON.stringify(value) : String(value))
  }
  const bodySchema = op.requestBody?.content['application/json']?.schema
  const body = bodySchema ? JSON.stringify(sample(bodySchema, '', pick)) : undefined
  const res = await fetch(`${base}${url}${query.size ? `?${query}` : ''}`, { method: method.toUpperCase(), headers, body })
  const text = await res.text()
  return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text }
}

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 with one operation per contract route, named by the route', () => {
    expect(doc.openapi).toBe('3.1.0')
    const ops = Object.values(doc.paths).flatMap((m) => Object.values(m).map((o) => o.operationId))
    for (const r of routeNames) expect(ops).toContain(r)
    expect(new Set(ops).size).toBe(ops.length)
    for (const extra of ['openapi', 'stream', 'uploads.create', 'uploads.file', 'uploads.import', 'metrics', 'mcp']) expect(ops).toContain(extra)
  })

  it('answers every documented contract route as documented', async () => {
    const ok = new Set<string>()
    const entries = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })))
    const contract = entries.filter((e) => (routeNames as string[]).includes(e.op.operationId))
    // Deletes last, so the other calls still find what they read.
    contract.sort((a, b) => Number(a.method === 'delete') - Number(b.method === 'delete'))
    for (const { path, method, op } of contract) {
      const { status, body } = await callOperation(path, method, op)
      const where = `${method.toUpperCase()} ${path} (${op.operationId}) → ${status} ${JSON.stringify(body).slice(0, 300)}`
      expect(status, where).toBeLessThan(500)
      const documented = op.responses[String(status)]?.content?.['application/json']?.schema
      expectValid(documented, body, where)
      if (status === 200) {
        ok.add(op.operationId)
        const parsed = routes[op.operationId as RouteName].output.safeParse((body as { data: unknown }).data)
        expect(parsed.success, where).toBe(true)
      }
    }
    const required = [
      'system.health', 'runs.list', 'runs.get', 'runs.tag', 'runs.delete', 'rundata.spans', 'rundata.metrics', 'analysis.run', 'compare.runs',
      'insights.run', 'import.paths', 'config.get', 'config.set', 'config.reset', 'pricing.get', 'pricing.set', 'pricing.unset', 'pricing.recompute',
      'export.runs', 'export.run', 'alerts.list', 'alerts.evaluate', 'alerts.test', 'sources.list',
    ]
    for (const id of [...required, ...['live.health', 'reports.render'].filter((r) => (routeNames as string[]).includes(r))]) expect([...ok], id).toContain(id)
  })

  it('documents uploads, the metrics text, MCP and the WebSocket stream, whose events match their schemas', async () => {
    const created = await fetch(`${base}/api/v1/uploads`, { method: 'POST', headers })
    const createdBody = await created.json()
    expectValid(doc.paths['/api/v1/uploads'].post.responses['200'].content!['application/json'].schema, createdBody, 'uploads.create')
    const id = createdBody.data.uploadId
    const put = await fetch(`${base}/api/v1/uploads/${id}/files?path=streamed.ndjson`, { method: 'PUT', headers: { authorization: headers.authorization }, body: swarmNdjson({ runId: 'streamed', seed: 9, callsPerAgent: 4 }) })
    expectValid(doc.paths['/api/v1/uploads/{uploadId}/files'].put.responses['200'].content!['application/json'].schema, await put.json(), 'uploads.file')

    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/v1/stream`, { headers: { authorization: headers.authorization } })
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
    const eventSchemas = (doc.paths['/api/v1/stream'].get as unknown as { 'x-swarmscope-events': Record<string, Json> })['x-swarmscope-events']
    const seen = new Promise<{ event: string; payload: unknown }>((resolve) => ws.on('message', (m) => {
      const msg = JSON.parse(String(m))
      expectValid(eventSchemas[msg.event], msg.payload, `event ${msg.event}`)
      if (msg.event === 'runs.changed') resolve(msg)
    }))
    const imported = await fetch(`${base}/api/v1/uploads/${id}/import`, { method: 'POST', headers, body: '{}' })
    expectValid(doc.paths['/api/v1/uploads/{uploadId}/import'].post.responses['200'].content!['application/json'].schema, await imported.json(), 'uploads.import')
    expect((await seen).payload).toEqual({ runIds: ['streamed'] })
    ws.close()

    const metrics = await fetch(`${base}/metrics`, { headers })
    expect(metrics.status).toBe(200)
    expect(await metrics.text()).toContain('swarmscope_runs ')
    const mcp = await fetch(`${base}/mcp`, {
      method: 'POST', headers: { ...headers, accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'openapi-test', version: '1' } } }),
    })
    expect(mcp.status).toBe(200)
    expect((await mcp.json()).result.serverInfo.name).toBe('swarmscope')
  })

  it('its validator rejects what the document does not allow (so the checks above can fail)', async () => {
    const op = doc.paths['/api/v1/runs/{id}'].get
    const body = await (await fetch(`${base}/api/v1/runs/swarm-b`, { headers })).json()
    const schema = op.responses['200'].content!['application/json'].schema
    expect(validate(schema, body)).toEqual([])
    expect(validate(schema, { ...body, data: { ...body.data, costUsd: '1.00' } })).toEqual(['$.data.costUsd: expected number, got string'])
    const { llmCalls: _l, ...missing } = body.data
    expect(validate(schema, { ...body, data: missing })).toEqual(['$.data: missing required property "llmCalls"'])
    expect(validate(schema, { ...body, data: { ...body.data, contentPolicy: 'some' } })[0]).toMatch(/^\$\.data\.contentPolicy: not one of/)
  })

  it('requires the token for the document, /metrics and /mcp like every other request', async () => {
    for (const p of ['/api/v1/openapi.json', '/metrics', '/mcp']) expect((await fetch(`${base}${p}`)).status, p).toBe(401)
  })
})
