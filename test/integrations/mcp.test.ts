import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../src/core'
import { startHost, type Host } from '../../src/server/host'
import type { RouteInput, RouteName, RouteOutput } from '../../src/shared/contract'
import { usd } from '../../src/shared/format'
import { BIN, writeSwarms } from './swarm-fixture'

// The MCP server through the official SDK client, over stdio (`swarmscope mcp` as a child
// process) and over streamable HTTP (/mcp on the local host). Every number a tool gives must
// be the number the analysis routes give for the same run.

const TOKEN = 'mcp-test-token'
const TOOLS = ['list_runs', 'run_summary', 'agent_breakdown', 'find_bottlenecks', 'detect_anomalies', 'compare_runs', 'performance_report', 'token_usage', 'cost_analysis']
let dir: string
let core: Core
let host: Host

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'swarmscope-mcp-'))
  const runs = join(dir, 'runs')
  mkdirSync(runs)
  writeSwarms(runs, [
    { runId: 'swarm-a', seed: 1, errorEvery: 5, slowCalls: [3, 30] },
    { runId: 'swarm-slow', seed: 2, latencyFactor: 1.6, startMs: Date.UTC(2026, 1, 1) },
  ])
  core = createCore({ path: join(dir, 'mcp.db') })
  const r = await core.call('import.paths', { paths: [runs] })
  expect(r.ok).toBe(true)
  host = await startHost({ core, token: TOKEN, port: 0 })
})
afterAll(async () => {
  await host?.close()
  core?.close()
  rmSync(dir, { recursive: true, force: true })
})

async function route<R extends RouteName>(r: R, input: RouteInput<R>): Promise<RouteOutput<R>> {
  const res = await core.call(r, input)
  if (!res.ok) throw new Error(res.error.message)
  return res.data
}

// Tool results are plain JSON; the assertions below say what each field must equal.
type Structured = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
async function tool(client: Client, name: string, args: Record<string, unknown> = {}): Promise<Structured> {
  const res = await client.callTool({ name, arguments: args })
  expect(res.isError, `${name}: ${JSON.stringify(res.content)}`).toBeFalsy()
  return res.structuredContent as Structured
}

/** The same checks for both transports. */
async function checkTools(client: Client): Promise<void> {
  const listed = (await client.listTools()).tools
  for (const name of TOOLS) expect(listed.map((t) => t.name)).toContain(name)
  for (const t of listed) expect(t.annotations?.readOnlyHint, t.name).toBe(true)

  expect((await tool(client, 'list_runs')).runs).toEqual(await route('runs.list', { limit: 20 }))

  const run = await route('runs.get', { id: 'latest' })
  expect(run.id).toBe('swarm-slow')
  const a = await route('analysis.run', { id: 'swarm-a' })
  const summary = await tool(client, 'run_summary', { run: 'swarm-a' })
  expect(summary.run).toEqual(await route('runs.get', { id: 'swarm-a' }))
  expect(summary.llmLatencyMs).toEqual({ count: a.llm.latencyMs.summary.count, p50: a.llm.latencyMs.summary.p50, p95: a.llm.latencyMs.summary.p95, p99: a.llm.latencyMs.summary.p99, mean: a.llm.latencyMs.summary.mean })
  expect(summary.cache).toEqual(a.cache)
  expect(summary.concurrency).toEqual(a.structure.concurrency)
  expect(summary.anomalies).toBe(a.anomalies.length)
  expect((await tool(client, 'run_summary')).run).toEqual(run) // default: latest

  expect((await tool(client, 'agent_breakdown', { run: 'swarm-a' })).agents).toEqual(a.attribution.byAgent)

  const b = await tool(client, 'find_bottlenecks', { run: 'swarm-a', top: 3 })
  expect(b.wallMs).toBe(a.structure.wallMs)
  expect(b.criticalPath.byKind).toEqual(a.structure.criticalPath.byKind)
  expect(b.criticalPath.byAgent).toEqual(a.structure.criticalPath.byAgent)
  const byP95 = [...a.tools].sort((x, y) => (y.summary.p95 ?? -1) - (x.summary.p95 ?? -1))
  expect(b.slowestTools.map((t: { tool: string; p95Ms: number }) => [t.tool, t.p95Ms])).toEqual(byP95.slice(0, 3).map((t) => [t.tool, t.summary.p95]))

  const anomalies = await tool(client, 'detect_anomalies', { run: 'swarm-a' })
  expect(anomalies.anomalies).toEqual(a.anomalies)
  expect(a.anomalies.map((x) => x.spanId)).toContain('main-llm3') // the planted slow call
  expect((await tool(client, 'detect_anomalies', { run: 'swarm-a', minSeverity: 'high' })).anomalies).toEqual(a.anomalies.filter((x) => x.severity === 'high'))

  const c = await route('compare.runs', { baseline: 'swarm-a', candidates: ['swarm-slow'] })
  const cmp = await tool(client, 'compare_runs', { baseline: 'swarm-a', candidates: ['swarm-slow'] })
  const [first] = cmp.comparisons as { metrics: { metric: string; pValue: number | null; verdict: string; changePct: number | null }[]; preferred: string; score: number }[]
  expect(first.preferred).toBe(c.comparisons[0].ranking.preferred)
  expect(first.score).toBe(c.comparisons[0].ranking.score)
  expect(first.metrics.map((m) => [m.metric, m.pValue, m.verdict, m.changePct])).toEqual(c.comparisons[0].metrics.map((m) => [m.metric, m.pValue, m.verdict, m.changePct]))
  expect(first.metrics.find((m) => m.metric === 'llm_latency_ms')?.verdict).toBe('regressed') // the planted 60 % slowdown

  const report = await client.callTool({ name: 'performance_report', arguments: { run: 'swarm-a' } })
  const md = (report.content as { type: string; text: string }[])[0].text
  const ra = await route('runs.get', { id: 'swarm-a' })
  expect(md).toMatch(/^# Performance report: swarm swarm-a/)
  expect(md).toContain(`| cost | ${usd(ra.costUsd)} |`)
  expect(md).toContain(`| LLM calls | ${ra.llmCalls} |`)
  expect(md).toContain('main-llm3')

  const tokens = await tool(client, 'token_usage', { run: 'swarm-a' })
  expect(tokens.totals).toEqual({ inputTokens: ra.inputTokens, outputTokens: ra.outputTokens, cacheCreationTokens: ra.cacheCreationTokens, cacheReadTokens: ra.cacheReadTokens, totalTokens: ra.inputTokens + ra.outputTokens + ra.cacheCreationTokens + ra.cacheReadTokens })
  const overview = await route('runs.overview', { id: 'swarm-a' })
  expect(tokens.byAgent.map((g: { agentId: string; outputTokens: number }) => [g.agentId, g.outputTokens])).toEqual(overview.agents.map((g) => [g.id, g.outputTokens]))

  const cost = await tool(client, 'cost_analysis', { run: 'swarm-a' })
  expect(cost.costUsd).toBe(ra.costUsd)
  expect(cost.byModel.map((m: { model: string; costUsd: number }) => [m.model, m.costUsd])).toEqual(a.attribution.byModel.map((m) => [m.model, m.costUsd]))
  expect(cost.priceTable).toBe((await route('pricing.get', {})).version)

  const missing = await client.callTool({ name: 'run_summary', arguments: { run: 'no-such-run' } })
  expect(missing.isError).toBe(true)
  expect((missing.content as { text: string }[])[0].text).toBe('no run with id no-such-run')
}

describe('MCP server', () => {
  it('over stdio (`swarmscope mcp`) answers every tool with the analysis routes’ numbers', { timeout: 90_000 }, async () => {
    const client = new Client({ name: 'swarmscope-test', version: '1.0.0' })
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, '--db', join(dir, 'mcp.db'), 'mcp'], stderr: 'pipe' })
    await client.connect(transport)
    try {
      expect(client.getServerVersion()?.name).toBe('swarmscope')
      await checkTools(client)
    } finally {
      await client.close()
    }
  })

  it('over streamable HTTP at /mcp on the local host, with the token', async () => {
    const url = new URL(`http://127.0.0.1:${host.port}/mcp`)
    const client = new Client({ name: 'swarmscope-test', version: '1.0.0' })
    await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } }))
    try {
      await checkTools(client)
    } finally {
      await client.close()
    }
    const anonymous = new Client({ name: 'no-token', version: '1.0.0' })
    await expect(anonymous.connect(new StreamableHTTPClientTransport(url))).rejects.toThrow(/401|unauthorized|token/i)
  })
})
