import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../src/core'
import { startDesktopServices, type DesktopServices } from '../../src/server/desktop-services'
import { readHostState, stateFileFor } from '../../src/server/live-state'
import { tempDir } from '../helpers/temp'
import { FIXTURES, SHOWCASE_MAIN, sessionFacts } from '../helpers/transcript-facts'
import { IngestClient, rows, until } from '../live/helpers'

// The desktop app's background services (src/main starts them after the core): the same host,
// live sources and scheduler as `swarmscope serve`, reached by hooks through the state file.

let core: Core | undefined
let services: DesktopServices | undefined
afterEach(async () => {
  await services?.stop()
  core?.close()
  core = services = undefined
})

const OTLP_TRACE = `${FIXTURES}otlp/opentelemetry-proto_examples_trace.json`

function post(port: number, path: string, body: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end(body)
  })
}

describe('desktop background services', () => {
  it('tail transcripts, take live NDJSON and OTLP with the token from the state file, and leave nothing listening after stop', async () => {
    const dir = tempDir()
    const dbPath = join(dir, 'app.db')
    const projects = join(dir, 'projects', 'p')
    mkdirSync(projects, { recursive: true })
    const lines: string[] = []
    core = createCore({ path: dbPath })
    services = await startDesktopServices(core, { log: (l) => lines.push(l), watch: [join(dir, 'projects')], otlpPort: 0 })

    // Hooks and `swarmscope health` find the app through this file: port and token must work.
    const state = readHostState(dbPath)!
    expect(state.port).toBe(services.host.port)
    expect(state.token).toBe(services.token)
    expect(state.otlpPort).toBe(services.live.otlp!.port)

    copyFileSync(SHOWCASE_MAIN, join(projects, 'session.jsonl'))
    const session = [...sessionFacts([SHOWCASE_MAIN]).keys()][0]
    const expected = sessionFacts([SHOWCASE_MAIN]).get(session)!
    const tailed = await until('tailed run', async () => {
      const r = await core!.call('runs.get', { id: `cc-${session}` })
      return r.ok && r.data.llmCalls === expected.llmCalls ? r.data : null
    }, 15_000)
    expect(tailed.outputTokens).toBe(expected.outputTokens)

    const client = await IngestClient.open(state.port, state.token)
    const ack = await client.send(1, [{ v: 1, type: 'run', id: 'desk-1', name: 'desk' }, { type: 'span', id: 's1', kind: 'llm', name: 'm', start: 1767261600000, end: 1767261601000, inputTokens: 3, outputTokens: 4, model: 'claude-sonnet-4-5' }])
    client.close()
    expect(ack.accepted).toBe(2)
    expect(rows(dbPath, 'SELECT output_tokens FROM spans WHERE run_id = ?', 'desk-1')).toEqual([{ output_tokens: 4 }])

    const trace = readFileSync(OTLP_TRACE, 'utf8')
    const spansIn = (JSON.parse(trace) as { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] }).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)).length
    const before = Number(rows(dbPath, 'SELECT count(*) AS n FROM spans')[0].n)
    expect(await post(state.otlpPort!, '/v1/traces', trace, 'wrong')).toBe(401)
    expect(await post(state.otlpPort!, '/v1/traces', trace, state.token)).toBe(200)
    await until('OTLP spans stored', () => Number(rows(dbPath, 'SELECT count(*) AS n FROM spans')[0].n) === before + spansIn)

    expect(lines.some((l) => l.startsWith('live ingest at ws://127.0.0.1:'))).toBe(true)
    const { port } = services.host
    await services.stop()
    await services.stop() // quit can arrive twice
    expect(existsSync(stateFileFor(dbPath))).toBe(false)
    await expect(post(port, '/api/v1/runs', '{}', state.token)).rejects.toThrow(/ECONNREFUSED/)
  }, 30_000)
})
