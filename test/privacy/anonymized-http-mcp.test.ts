import { spawn } from 'node:child_process'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { describe, expect, it } from 'vitest'
import { startHost } from '../../src/server/host'
import { BIN } from '../integrations/swarm-fixture'
import { importPlanted, leaks, mcpTools, ok } from './outputs'

// MCP at /mcp on the local host under pseudonyms, through the official SDK client over
// streamable HTTP: turned on by the privacy.anonymizeMcp setting (read at each request) or by
// `swarmscope serve --mcp-anonymize`, with one salt for the host process.

const TOKEN = 'anon-mcp-token'

async function imported() {
  const { core, db, t, secrets, names } = await importPlanted()
  return { core, db, t, names: [...secrets, ...names] }
}

/** An SDK client on /mcp that keeps every answer's text for the leak search. */
async function connect(port: number) {
  const client = new Client({ name: 'swarmscope-test', version: '1.0.0' })
  await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } }))
  return { client, ...mcpTools(client) }
}

describe('/mcp on the local host, anonymized', () => {
  it('follows privacy.anonymizeMcp: pseudonyms a follow-up (or another client) can ask about, the real numbers, no names', { timeout: 120_000 }, async () => {
    const { core, t, names } = await imported()
    const host = await startHost({ core, token: TOKEN, port: 0 })
    try {
      await ok(core, 'config.set', { values: { 'privacy.anonymizeMcp': true } })
      const a = await connect(host.port)
      const runs = (await a.tool('list_runs')).runs as { id: string; costUsd: number; inputTokens: number }[]
      const real = await ok(core, 'runs.list', {})
      expect(runs.map((r) => [r.costUsd, r.inputTokens])).toEqual(real.map((r) => [r.costUsd, r.inputTokens]))
      const cc = runs[real.findIndex((r) => r.id === t.runId)]
      expect(cc.id).toMatch(/^run-[0-9a-f]{4,}$/)

      // Each tool call is its own HTTP request: the pseudonym from list_runs still names the run.
      const summary = await a.tool('run_summary', { run: cc.id })
      expect(summary.run.id).toBe(cc.id)
      const analysis = await ok(core, 'analysis.run', { id: t.runId })
      expect(summary.wallMs).toBe(analysis.structure.wallMs)
      expect(summary.llmLatencyMs.p95).toBe(analysis.llm.latencyMs.summary.p95)
      const r = await ok(core, 'runs.get', { id: t.runId })
      expect((await a.tool('token_usage', { run: cc.id })).totals.outputTokens).toBe(r.outputTokens)
      expect((await a.tool('cost_analysis', { run: cc.id })).costUsd).toBe(r.costUsd)
      const agents = (await a.tool('agent_breakdown', { run: cc.id })).agents as { own: { costUsd: number } }[]
      expect(agents.map((g) => g.own.costUsd).sort((x, y) => x - y)).toEqual(analysis.attribution.byAgent.map((g) => g.own.costUsd).sort((x, y) => x - y))
      expect((await a.tool('performance_report', { run: cc.id })).markdown).toContain(`Run \`${cc.id}\``)
      await a.tool('compare_runs', { baseline: cc.id, candidates: [runs.find((x) => x.id !== cc.id)!.id] })
      const byRealId = await a.client.callTool({ name: 'run_summary', arguments: { run: t.runId } })
      expect(byRealId.isError).toBe(true)
      await a.client.close()

      // Another client of the same host: the same salt, so the same pseudonyms.
      const b = await connect(host.port)
      expect(((await b.tool('list_runs')).runs as { id: string }[]).map((x) => x.id)).toEqual(runs.map((x) => x.id))
      expect((await b.tool('run_summary', { run: cc.id })).run.id).toBe(cc.id)
      await b.client.close()
      expect(leaks([{ name: 'mcp answers', text: [...a.answers, ...b.answers].join('\n') }], names)).toEqual([])

      // Read at each request: turned off, the next request answers with the real ids again.
      await ok(core, 'config.set', { values: { 'privacy.anonymizeMcp': false } })
      const c = await connect(host.port)
      expect(((await c.tool('list_runs')).runs as { id: string }[]).map((x) => x.id)).toEqual(real.map((x) => x.id))
      await c.client.close()
    } finally {
      await host.close()
      core.close()
    }
  })

  it('`swarmscope serve --mcp-anonymize` answers under pseudonyms with the setting off', { timeout: 120_000 }, async () => {
    const { core, db, t, names } = await imported()
    const real = await ok(core, 'runs.list', {})
    core.close()
    const serve = spawn(process.execPath, [BIN, '--db', db, 'serve', '--port', '0', '--no-open', '--no-otlp', '--no-watch', '--mcp-anonymize'], { env: { ...process.env, SWARMSCOPE_TOKEN: TOKEN }, stdio: ['ignore', 'pipe', 'pipe'] })
    let log = ''
    serve.stdout.on('data', (d) => (log += String(d)))
    serve.stderr.on('data', (d) => (log += String(d)))
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const check = setInterval(() => {
          const m = /running at http:\/\/127\.0\.0\.1:(\d+)\//.exec(log)
          if (m) {
            clearInterval(check)
            resolve(Number(m[1]))
          }
        }, 100)
        serve.on('exit', (code) => {
          clearInterval(check)
          reject(new Error(`serve exited ${code}: ${log}`))
        })
      })
      // serve prints its address and then this line: the two can arrive in separate chunks.
      for (let waited = 0; !log.includes('MCP at /mcp') && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50))
      expect(log).toContain('MCP at /mcp answers under pseudonyms')
      const a = await connect(port)
      const runs = (await a.tool('list_runs')).runs as { id: string; costUsd: number }[]
      expect(runs.map((r) => r.costUsd)).toEqual(real.map((r) => r.costUsd))
      const cc = runs[real.findIndex((r) => r.id === t.runId)]
      expect(cc.id).toMatch(/^run-[0-9a-f]{4,}$/)
      expect((await a.tool('run_summary', { run: cc.id })).run.id).toBe(cc.id)
      await a.client.close()
      expect(leaks([{ name: 'mcp answers', text: a.answers.join('\n') }], names)).toEqual([])
    } finally {
      if (serve.exitCode === null && serve.signalCode === null) {
        const exited = new Promise((r) => serve.once('exit', r))
        serve.kill('SIGTERM')
        await exited
      }
    }
  })
})
