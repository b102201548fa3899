import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { createCore, type Core } from '../../src/core'
import { backoffDelay, ClaudeFlowConnector } from '../../src/core/live/claude-flow/connector'
import { tempDir } from '../helpers/temp'
import { claudeFlowBin, driver, startClaudeFlow, type ClaudeFlowServer } from './claude-flow-server'
import { count, freePort, rows, until } from './helpers'

let core: Core
let dbPath: string
let connector: ClaudeFlowConnector | undefined
let server: ClaudeFlowServer | undefined
afterEach(async () => {
  connector?.stop()
  await server?.stop()
  connector = server = undefined
  core?.close()
})

function open() {
  dbPath = join(tempDir(), 'cf.db')
  core = createCore({ path: dbPath })
}
const connect = (url: string, opts = {}) => {
  connector = new ClaudeFlowConnector(core.live, url, core.live.source(`claude-flow:${url}`, 'claude-flow', url), { pollMs: 100, timeoutMs: 3000, ...opts })
  connector.start()
  return connector
}
const polls = (n: number) => until(`${n} more polls`, ((target) => () => connector!.polls >= target)(connector!.polls + n), 20_000)

const cf = claudeFlowBin()

describe('claude-flow connector against the real claude-flow 3.43 MCP server', () => {
  it.skipIf(!cf.bin)(`records the swarm's agents, tasks and metric samples as a live run${cf.bin ? '' : ` (skipped: ${cf.why})`}`, async () => {
    open()
    server = await startClaudeFlow(cf.bin!)
    const c = connect(server.url)
    await polls(1)
    expect(core.live.health().sources[0].state).toBe('connected')
    const d = await driver(server.url)
    await d.tool('swarm_init', { topology: 'mesh', maxAgents: 4 })
    const coder = (await d.tool('agent_spawn', { agentType: 'coder' })).agentId as string
    const tester = (await d.tool('agent_spawn', { agentType: 'tester' })).agentId as string
    const task = (await d.tool('task_create', { type: 'feature', description: 'secret prompt text' })).taskId as string
    await d.tool('task_assign', { taskId: task, agentIds: [coder] })
    await polls(2)
    const status = await d.tool('swarm_status')
    await d.tool('task_complete', { taskId: task, result: { ok: true } })
    await d.tool('agent_terminate', { agentId: tester })
    await polls(2)
    d.close()
    await core.live.flush()

    const runId = c.tracker.runId
    expect(rows(dbPath, 'SELECT source, format FROM runs WHERE id = ?', runId)).toEqual([{ source: 'claude-flow', format: 'claude-flow-live' }])
    expect(rows(dbPath, 'SELECT id, type FROM agents WHERE run_id = ? ORDER BY type', runId)).toEqual([{ id: coder, type: 'coder' }, { id: tester, type: 'tester' }])
    const agentSpans = Object.fromEntries(rows(dbPath, "SELECT agent_id, end_ms, status FROM spans WHERE run_id = ? AND kind = 'agent'", runId).map((r) => [r.agent_id, r]))
    expect(agentSpans[tester]).toMatchObject({ status: 'ok' })
    expect(agentSpans[tester].end_ms).toEqual(expect.any(Number))
    expect(agentSpans[coder]).toMatchObject({ status: 'unset', end_ms: null })
    const [taskSpan] = rows(dbPath, "SELECT * FROM spans WHERE run_id = ? AND kind = 'task'", runId)
    expect(taskSpan).toMatchObject({ id: `task:${task}`, name: 'feature', agent_id: coder, status: 'ok' })
    expect(taskSpan.end_ms as number).toBeGreaterThanOrEqual(taskSpan.start_ms as number)
    // Task descriptions are prompts: not kept anywhere.
    expect(count(dbPath, "SELECT COUNT(*) FROM spans WHERE attrs LIKE '%secret prompt%'") + count(dbPath, "SELECT COUNT(*) FROM events WHERE attrs LIKE '%secret prompt%'")).toBe(0)
    expect(rows(dbPath, "SELECT name FROM events WHERE run_id = ? AND agent_id = ? AND name LIKE 'task.%' ORDER BY ts, name", runId, coder).map((e) => e.name)).toContain('task.status')
    // What swarm_status said to our own driver is among the samples the connector took.
    const agentCounts = rows(dbPath, "SELECT value FROM metric_samples WHERE run_id = ? AND name = 'claude_flow.swarm.agents'", runId).map((r) => r.value)
    expect(agentCounts).toContain(status.agentCount)
    expect(count(dbPath, "SELECT COUNT(*) FROM metric_samples WHERE run_id = ? AND name = 'claude_flow.mcp.total_requests'", runId)).toBeGreaterThanOrEqual(4)
  }, 90_000)
})

/** A real WebSocket server answering with the responses recorded from claude-flow 3.43 (shared fixture). */
function replayServer(port: number) {
  const recorded = readFileSync(new URL('../../../shared/fixtures/real/claude-flow/v3.43_local-cli-run/mcp-ws/recorded-exchange.jsonl', import.meta.url), 'utf8')
    .split('\n').filter(Boolean).map((l) => JSON.parse(l) as { dir: string; msg: { id?: number; method?: string; params?: { name?: string }; result?: unknown } })
  const answers = new Map<string, unknown>()
  recorded.forEach((r, i) => {
    if (r.dir !== 'send' || r.msg.id === undefined) return
    const reply = recorded.slice(i + 1).find((x) => x.dir === 'recv' && x.msg.id === r.msg.id)
    answers.set(r.msg.method === 'tools/call' ? `tool:${r.msg.params?.name}` : r.msg.method!, reply?.msg.result)
  })
  const wss = new WebSocketServer({ port, host: '127.0.0.1', path: '/ws' })
  wss.on('connection', (ws) =>
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { id?: number; method: string; params?: { name?: string } }
      if (m.id === undefined) return
      const key = m.method === 'tools/call' ? `tool:${m.params?.name}` : m.method
      const result = answers.get(key) ?? { content: [{ type: 'text', text: `Tool not found: ${m.params?.name}` }], isError: true }
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: m.id, result }))
    }),
  )
  return { close: () => new Promise<void>((r) => (wss.clients.forEach((c) => c.terminate()), wss.close(() => r()))) }
}

describe('claude-flow connector: failures and reconnection (recorded exchange replayed by a real WebSocket server)', () => {
  it('backs off with jitter while nothing listens, shows failed after repeated failures, then connects when the server appears', async () => {
    open()
    const port = await freePort()
    const c = connect(`ws://127.0.0.1:${port}/ws`, { backoffBaseMs: 5, backoffMaxMs: 40 })
    const health = () => core.live.health().sources.find((s) => s.id === `claude-flow:${c.url}`)!
    // A loaded machine may poll only after the fifth refusal, when 'retrying' has become 'failed'.
    await until('retrying', () => ['retrying', 'failed'].includes(health().state))
    expect(health().lastError!.message).toMatch(/ECONNREFUSED/)
    await until('failed', () => health().state === 'failed' && health().retry!.attempt >= 5)
    const replay = replayServer(port)
    try {
      await until('connected', () => health().state === 'connected', 5000)
      await polls(1)
      // The recorded answers were cut short when recorded ("…"): the connector says so and goes on.
      expect(health().lastError!.message).toMatch(/not JSON|Tool not found/)
      expect(String(health().detail.unsupported)).toContain('agent_list')
      expect(count(dbPath, 'SELECT COUNT(*) FROM runs WHERE id = ?', c.tracker.runId)).toBe(1)
    } finally {
      await replay.close()
    }
    // With 5–40 ms backoffs, five refused attempts can pass through 'retrying' to 'failed' (which
    // still retries) between two polls on a loaded machine: either state says it noticed.
    await until('retrying after the server went away', () => ['retrying', 'failed'].includes(health().state) && /ECONNREFUSED|closed|socket/i.test(health().lastError?.message ?? ''))
  })

  it('draws each delay uniformly below min(max, base·2^attempt)', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const cap = Math.min(30_000, 500 * 2 ** attempt)
      expect(backoffDelay(attempt, 500, 30_000, () => 0)).toBe(0)
      expect(backoffDelay(attempt, 500, 30_000, () => 0.999999)).toBe(Math.round(0.999999 * cap))
      expect(backoffDelay(attempt, 500, 30_000, () => 0.5)).toBe(Math.round(cap / 2))
    }
  })
})
