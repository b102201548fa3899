import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { totalmem } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../src/core'
import { SAMPLE_RATE_ATTR } from '../../src/core/live/sampler'
import { SystemSampler } from '../../src/core/live/system-sampler'
import { startHost, type Host } from '../../src/server/host'
import { tempDir } from '../helpers/temp'
import { IngestClient, rows, TOKEN, until } from './helpers'

let core: Core | undefined
let host: Host | undefined
afterEach(async () => {
  await host?.close()
  core?.close()
  core = host = undefined
})

const t0 = 1767261600000
function spans(runId: string, from: number, n: number) {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k
    // Every 40th span failed, every 25th took 2 s; the rest are fast and fine.
    return { type: 'span', runId, id: `s${i}`, kind: 'tool', name: 'Read', start: t0 + i, end: t0 + i + (i % 25 === 0 ? 2000 : 5), status: i % 40 === 0 ? 'error' : 'ok' }
  })
}

describe('sampling', () => {
  it('keeps errors and slow spans, keeps about `rate` of the rest, and marks the rate so counts re-weight', async () => {
    const dbPath = join(tempDir(), 's.db')
    core = createCore({ path: dbPath })
    host = await startHost({ core, token: TOKEN, port: 0 })
    core.live.sampler.configure({ rate: 0.25, slowMs: 1000 })
    const c = await IngestClient.open(host.port)
    const N = 8000
    let sampledOut = 0
    for (let b = 0; b < N / 1000; b++) sampledOut += (await c.send(b, spans('sampled', b * 1000, 1000))).sampledOut!
    const kept = rows(dbPath, "SELECT id, status, end_ms - start_ms AS ms, json_extract(attrs, ?) AS rate FROM spans WHERE run_id = 'sampled'", `$."${SAMPLE_RATE_ATTR}"`)
    const priority = Array.from({ length: N }, (_, i) => i).filter((i) => i % 40 === 0 || i % 25 === 0)
    const keptIds = new Set(kept.map((k) => k.id))
    expect(priority.every((i) => keptIds.has(`s${i}`))).toBe(true)
    expect(kept.filter((k) => k.status === 'error' || (k.ms as number) >= 1000).every((k) => k.rate === null)).toBe(true)
    const ordinary = kept.filter((k) => k.status !== 'error' && (k.ms as number) < 1000)
    expect(ordinary.every((k) => k.rate === 0.25)).toBe(true)
    // Binomial(n, 0.25): 5 standard deviations either side.
    const n = N - priority.length
    const sd = Math.sqrt(n * 0.25 * 0.75)
    expect(Math.abs(ordinary.length - n * 0.25)).toBeLessThan(5 * sd)
    expect(sampledOut + kept.length).toBe(N)
    const reweighted = kept.reduce((a, k) => a + 1 / ((k.rate as number | null) ?? 1), 0)
    expect(Math.abs(reweighted - N) / N).toBeLessThan(0.1)
    expect(core.live.health().sources.find((s) => s.kind === 'ws')!.sampledOut).toBe(sampledOut)
    c.close()
  })

  it('lowers the rate while arrivals exceed the budget', async () => {
    const dbPath = join(tempDir(), 'a.db')
    core = createCore({ path: dbPath })
    host = await startHost({ core, token: TOKEN, port: 0 })
    core.live.sampler.configure({ rate: 1, budgetPerSec: 1000 })
    const c = await IngestClient.open(host.port)
    let seq = 0
    const started = Date.now()
    const acks: Promise<unknown>[] = []
    // ~10 000 records a second, whatever the acks' latency on a busy machine.
    while (Date.now() - started < 2600) {
      acks.push(c.send(seq, spans('adaptive', seq * 500, 500)))
      seq++
      await new Promise((r) => setTimeout(r, 50))
    }
    await Promise.all(acks)
    const sampling = core.live.health().sampling
    // About 10 000 per second against a budget of 1000.
    expect(sampling.rate).toBeLessThan(0.5)
    expect(sampling.budgetPerSec).toBe(1000)
    const rates = rows(dbPath, `SELECT DISTINCT json_extract(attrs, '$."${SAMPLE_RATE_ATTR}"') AS r FROM spans WHERE run_id = 'adaptive'`).map((x) => x.r)
    expect(rates.some((r) => typeof r === 'number' && r < 0.5)).toBe(true)
    c.close()
  })
})

describe('system sampler', () => {
  it('samples host memory and a swarm process’s CPU and RSS as metric samples', async () => {
    const dir = tempDir()
    const dbPath = join(dir, 'sys.db')
    core = createCore({ path: dbPath })
    // A process named like claude-flow's CLI script, busy for a while and holding 64 MB.
    const script = join(dir, 'claude-flow.mjs')
    writeFileSync(script, "const keep = Buffer.alloc(64 * 1024 * 1024, 1); console.log('ready'); const end = Date.now() + 20000; while (Date.now() < end) keep[0]++")
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'ignore'] })
    try {
      await new Promise((r) => child.stdout!.once('data', r))
      const sampler = new SystemSampler(core.live, core.live.source('system', 'system', 'system'), { intervalMs: 100 })
      await sampler.sample()
      await new Promise((r) => setTimeout(r, 300))
      const now = Date.now()
      const metrics = await sampler.sample(now)
      const vmRss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) * 1024
      const mine = metrics.filter((m) => m.labels?.pid === String(child.pid))
      expect(mine.map((m) => m.name).sort()).toEqual(['process.cpu.utilization', 'process.memory.rss'])
      expect(mine[0].labels).toEqual({ pid: String(child.pid), command: 'claude-flow.mjs' })
      const rss = mine.find((m) => m.name === 'process.memory.rss')!.value
      expect(Math.abs(rss - vmRss) / vmRss).toBeLessThan(0.1)
      expect(rss).toBeGreaterThan(64 * 1024 * 1024)
      const cpu = mine.find((m) => m.name === 'process.cpu.utilization')!.value
      expect(cpu).toBeGreaterThan(0)
      await until('samples stored', () => rows(dbPath, 'SELECT COUNT(*) AS n FROM metric_samples WHERE run_id = ? AND ts = ?', sampler.runId, now)[0].n === metrics.length)
      expect(rows(dbPath, "SELECT value FROM metric_samples WHERE run_id = ? AND name = 'host.memory.total'", sampler.runId)[0].value).toBe(totalmem())
      expect(rows(dbPath, 'SELECT source FROM runs WHERE id = ?', sampler.runId)).toEqual([{ source: 'system' }])
    } finally {
      child.kill()
    }
  })
})
