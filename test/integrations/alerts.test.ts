import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { evaluateCollectorDrops } from '../../src/core/alerts/rules'
import { createCore, type Core } from '../../src/core'
import { startHost, type Host } from '../../src/server/host'
import type { AppConfig } from '../../src/shared/config'
import type { AlertRecord } from '../../src/shared/integrations-dto'
import { tempDir } from '../helpers/temp'
import { BIN, swarmNdjson, writeSwarms } from './swarm-fixture'

// Alert rules delivered to real HTTP receivers started here: a Slack-style one, one that fails
// twice per alert before it accepts, ones that always fail, and a closed port.

interface Received { at: number; headers: Record<string, string | string[] | undefined>; body: Record<string, unknown> }
interface Receiver { url: string; got: Received[]; close(): Promise<void> }

/** `status(n, body)` answers the n-th request (0-based) carrying the same alert id. */
async function receiver(status: (attempt: number) => number): Promise<Receiver> {
  const got: Received[] = []
  const attempts = new Map<string, number>()
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
    got.push({ at: performance.now(), headers: req.headers, body })
    const key = JSON.stringify(body.alert?.id ?? body.text)
    const n = attempts.get(key) ?? 0
    attempts.set(key, n + 1)
    res.writeHead(status(n), { 'content-type': 'text/plain' }).end('ok')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/secret-path`, got, close: () => new Promise((r) => server.close(() => r())) }
}

const cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c()
})

async function setup(alerts: Partial<AppConfig['alerts']>): Promise<{ core: Core; dir: string }> {
  const dir = tempDir()
  const runs = join(dir, 'runs')
  mkdirSync(runs)
  writeSwarms(runs, [
    { runId: 'swarm-a', seed: 1, errorEvery: 5, slowCalls: [3, 30], startMs: Date.UTC(2026, 0, 1) },
    { runId: 'swarm-slow', seed: 2, latencyFactor: 1.6, startMs: Date.UTC(2026, 0, 2) },
  ])
  const core = createCore({ path: join(dir, 'alerts.db') })
  cleanup.push(() => core.close())
  expect((await core.call('import.paths', { paths: [runs] })).ok).toBe(true)
  const set = await core.call('config.set', { values: Object.fromEntries(Object.entries(alerts).map(([k, v]) => [`alerts.${k}`, v])) })
  expect(set.ok, JSON.stringify(set)).toBe(true)
  return { core, dir }
}

async function evaluate(core: Core, runs: string[], force = false): Promise<AlertRecord[]> {
  const r = await core.call('alerts.evaluate', { runs, force })
  if (!r.ok) throw new Error(r.error.message)
  return r.data.fired
}

describe('alerts', () => {
  it('fires threshold and anomaly rules once per run and delivers Slack and JSON payloads, retrying a receiver that fails twice', async () => {
    const slack = await receiver(() => 200)
    const flaky = await receiver((n) => (n < 2 ? 503 : 200))
    cleanup.push(slack.close, flaky.close)
    const { core } = await setup({})
    const a = await core.call('runs.get', { id: 'swarm-a' })
    if (!a.ok) throw new Error()
    const run = a.data
    const rate = run.errors / (run.llmCalls + run.toolCalls)
    expect(rate).toBeGreaterThan(0.05)
    await core.call('config.set', {
      values: {
        'alerts.webhooks': [{ url: slack.url, format: 'slack' }, { url: flaky.url, format: 'json', headers: { authorization: 'Bearer hook-secret' } }],
        'alerts.backoffMs': 40,
        'alerts.rules': [
          { id: 'budget', kind: 'cost-per-run', threshold: run.costUsd / 3 },
          { id: 'errors', kind: 'error-rate', threshold: 0.05 },
          { id: 'slow-calls', kind: 'anomalies', minSeverity: 'medium' },
          { id: 'never', kind: 'cost-per-run', threshold: run.costUsd * 10 },
        ],
      },
    })

    const fired = await evaluate(core, ['swarm-a'])
    expect(fired.map((f) => f.ruleId).sort()).toEqual(['budget', 'errors', 'slow-calls'])
    const budget = fired.find((f) => f.ruleId === 'budget')!
    expect(budget).toMatchObject({ kind: 'cost-per-run', runId: 'swarm-a', severity: 'critical', value: run.costUsd, threshold: run.costUsd / 3 })
    expect(fired.find((f) => f.ruleId === 'errors')).toMatchObject({ severity: 'warning', value: rate, threshold: 0.05 })
    const analysis = await core.call('analysis.run', { id: 'swarm-a' })
    if (!analysis.ok) throw new Error()
    const anomalous = analysis.data.anomalies.filter((x) => x.severity !== 'low').length
    expect(fired.find((f) => f.ruleId === 'slow-calls')?.value).toBe(anomalous)

    for (const f of fired) {
      const host = new URL(slack.url).host
      expect(f.deliveries.find((d) => d.format === 'slack')).toEqual({ url: `http://${host}/…`, format: 'slack', status: 'delivered', attempts: 1, httpStatus: 200, error: null })
      expect(f.deliveries.find((d) => d.format === 'json')).toMatchObject({ status: 'delivered', attempts: 3, httpStatus: 200, error: null })
    }
    // Slack receives {text, blocks}; the generic receiver the alert as JSON, with its header.
    expect(slack.got).toHaveLength(3)
    const s = slack.got.find((g) => String(g.body.text).includes('cost'))!.body as { text: string; blocks: { type: string }[] }
    expect(s.text).toMatch(/^:rotating_light: Run "swarm swarm-a" cost \$/)
    expect(s.blocks.map((b) => b.type)).toEqual(['header', 'section', 'context'])
    expect(flaky.got).toHaveLength(9)
    const tries = flaky.got.filter((g) => (g.body.alert as { ruleId: string }).ruleId === 'budget')
    expect(tries.map((t) => t.body)).toEqual([tries[0].body, tries[0].body, tries[0].body])
    expect(tries[0].body).toMatchObject({ type: 'swarmscope.alert', version: 1, alert: { ruleId: 'budget', runId: 'swarm-a', value: run.costUsd } })
    expect(tries[0].headers.authorization).toBe('Bearer hook-secret')
    // Exponential backoff: 40 ms, then 80 ms.
    expect(tries[1].at - tries[0].at).toBeGreaterThanOrEqual(38)
    expect(tries[2].at - tries[1].at).toBeGreaterThanOrEqual(78)

    // Once per run: evaluating again fires nothing, unless forced.
    expect(await evaluate(core, ['swarm-a'])).toEqual([])
    expect((await evaluate(core, ['swarm-a'], true)).map((f) => f.ruleId).sort()).toEqual(['budget', 'errors', 'slow-calls'])
    const listed = await core.call('alerts.list', { runId: 'swarm-a' })
    if (!listed.ok) throw new Error()
    expect(listed.data.alerts).toHaveLength(6)
    expect(listed.data.rules.map((r) => r.id)).toEqual(['budget', 'errors', 'slow-calls', 'never'])
    expect(JSON.stringify(listed.data)).not.toContain('secret-path')
  })

  it('flags a p95 latency regression against the previous run or a named baseline, with a significance test', async () => {
    // swarm-a's two planted 12× calls lift its p95, so the 60 % slower run is "only" ~16 % slower at p95.
    const rule = { kind: 'p95-latency-regression' as const, enabled: true, alpha: 0.05 }
    const { core } = await setup({ rules: [{ ...rule, id: 'p95', thresholdPct: 10 }, { ...rule, id: 'p95-vs-a', thresholdPct: 10, baseline: 'swarm-a' }, { ...rule, id: 'p95-50', thresholdPct: 50 }] })
    const fired = await evaluate(core, ['swarm-slow'])
    expect(fired.map((f) => f.ruleId).sort()).toEqual(['p95', 'p95-vs-a'])
    const cmp = await core.call('compare.runs', { baseline: 'swarm-a', candidates: ['swarm-slow'] })
    if (!cmp.ok) throw new Error()
    const m = cmp.data.comparisons[0].metrics.find((x) => x.metric === 'llm_latency_ms')!
    expect(m.verdict).toBe('regressed')
    for (const f of fired) expect(f.value).toBeCloseTo((100 * (m.candidate.p95! - m.baseline.p95!)) / m.baseline.p95!, 9)
    expect(fired[0].deliveries).toEqual([]) // no webhooks configured
    // The baseline itself has no earlier run: nothing to compare, nothing fires.
    expect(await evaluate(core, ['swarm-a'])).toEqual([])
  })

  it('gives up on receivers that keep failing: retries 5xx and refused connections, not 4xx', async () => {
    const down = await receiver(() => 500)
    const rejecting = await receiver(() => 400)
    const closed = await receiver(() => 200)
    await closed.close()
    cleanup.push(down.close, rejecting.close)
    const { core } = await setup({
      rules: [{ id: 'budget', kind: 'cost-per-run', threshold: 1e-9, enabled: true }],
      webhooks: [{ url: down.url, format: 'json', headers: {} }, { url: rejecting.url, format: 'slack', headers: {} }, { url: closed.url, format: 'json', headers: {} }],
      attempts: 3,
      backoffMs: 5,
    })
    const [alert] = await evaluate(core, ['swarm-a'])
    expect(alert.deliveries.map((d) => [d.status, d.attempts, d.httpStatus, d.error])).toEqual([
      ['failed', 3, 500, 'HTTP 500'],
      ['failed', 1, 400, 'HTTP 400'],
      ['failed', 3, null, 'ECONNREFUSED'],
    ])
    expect(down.got).toHaveLength(3)
    expect(rejecting.got).toHaveLength(1)
  })

  it('the local host checks the rules when runs change and delivers without being asked', async () => {
    const hook = await receiver(() => 200)
    cleanup.push(hook.close)
    const { core, dir } = await setup({ rules: [{ id: 'budget', kind: 'cost-per-run', threshold: 1e-9, enabled: true }], webhooks: [{ url: hook.url, format: 'json', headers: {} }] })
    const host: Host = await startHost({ core, token: 't', port: 0 })
    cleanup.push(() => host.close())
    const file = join(dir, 'late.ndjson')
    writeFileSync(file, swarmNdjson({ runId: 'late', seed: 7, callsPerAgent: 3 }))
    const res = await fetch(`http://127.0.0.1:${host.port}/api/v1/imports`, { method: 'POST', headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, body: JSON.stringify({ paths: [file] }) })
    expect(res.status).toBe(200)
    for (let i = 0; i < 100 && hook.got.length === 0; i++) await new Promise((r) => setTimeout(r, 50))
    expect(hook.got.map((g) => (g.body.alert as { runId: string }).runId)).toEqual(['late'])
  })

  it('collector drops fire from the live collector’s count; the CLI can gate CI on alerts', async () => {
    const rules = [{ id: 'drops', kind: 'collector-drops' as const, threshold: 10, enabled: true }]
    expect(evaluateCollectorDrops(10, rules)).toEqual([])
    expect(evaluateCollectorDrops(11, rules)).toMatchObject([{ ruleId: 'drops', runId: null, value: 11, threshold: 10 }])

    const { dir } = await setup({ rules: [{ id: 'budget', kind: 'cost-per-run', threshold: 1e-9, enabled: true }] })
    const db = join(dir, 'alerts.db')
    const r = spawnSync(process.execPath, [BIN, '--db', db, 'alerts', 'check', 'swarm-a', '--fail-on-alert', '--json'], { encoding: 'utf8', timeout: 60_000 })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(1)
    expect(JSON.parse(r.stdout).fired.map((f: AlertRecord) => f.ruleId)).toEqual(['budget'])
  })
})
