import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../src/core'
import { startHost, type Host } from '../../src/server/host'
import { startLiveServices, type LiveServices } from '../../src/server/live-services'
import { readHostState } from '../../src/server/live-state'
import { tempDir } from '../helpers/temp'
import { SHOWCASE_MAIN, sessionFacts } from '../helpers/transcript-facts'
import { TOKEN, until } from './helpers'

// Live sources follow the settings while running (the settings screen and `config set live.…`
// write them); what the process pinned (serve's flags) does not move.

let core: Core | undefined
let host: Host | undefined
const services: LiveServices[] = []
afterEach(async () => {
  for (const s of services.splice(0)) await s.stop()
  await host?.close()
  core?.close()
  core = host = undefined
})

const health = async () => {
  const r = await core!.call('live.health', {})
  if (!r.ok) throw new Error(r.error.message)
  return r.data
}
const set = async (values: Record<string, unknown>) => {
  const r = await core!.call('config.set', { values })
  if (!r.ok) throw new Error(r.error.message)
}

describe('live settings', () => {
  it('start tails, connectors, sampling and the OTLP receiver from config.json and change them without a restart', async () => {
    const dir = tempDir()
    const [a, b] = [join(dir, 'a'), join(dir, 'b')]
    mkdirSync(a)
    mkdirSync(join(b, 'proj'), { recursive: true })
    core = createCore({ path: join(dir, 'live.db') })
    await set({ 'live.watchClaudeProjects': false, 'live.watch': [a], 'live.otlpPort': 0 })
    host = await startHost({ core, token: TOKEN, port: 0 })
    const live = await startLiveServices(core, { token: TOKEN, hostPort: host.port, configCheckMs: 100 })
    services.push(live)
    expect(live.collector.tails.map((t) => t.dir)).toEqual([a])
    expect(live.otlp?.port).toBeGreaterThan(0)
    expect(readHostState(core.dbPath)?.otlpPort).toBe(live.otlp!.port)

    await set({ 'live.watch': [b], 'live.connect': ['ws://127.0.0.1:9/ws'], 'live.sampling.rate': 0.5, 'live.otlpPort': null })
    await until('settings applied', () => live.collector.tails.map((t) => t.dir).join() === b && live.otlp === null, 5000)
    const h = await health()
    expect(h.sampling.baseRate).toBe(0.5)
    expect(h.sources.map((s) => s.id).sort()).toEqual(expect.arrayContaining([`tail:${b}`, 'claude-flow:ws://127.0.0.1:9/ws']))
    expect(h.sources.some((s) => s.id === `tail:${a}`)).toBe(false)
    expect(readHostState(core.dbPath)?.otlpPort).toBeNull()

    // The new folder is really tailed.
    copyFileSync(SHOWCASE_MAIN, join(b, 'proj', 'session.jsonl'))
    const [session, facts] = [...sessionFacts([SHOWCASE_MAIN])][0]
    await until('run from the new folder', async () => {
      const r = await core!.call('runs.get', { id: `cc-${session}` })
      return r.ok && r.data.llmCalls === facts.llmCalls
    }, 10_000)

    await set({ 'live.connect': [] })
    await until('connector removed', () => live.collector.connectors.length === 0, 5000)

    // A broken settings file (a hand edit gone wrong) changes nothing that runs, and says why.
    writeFileSync(join(dir, 'config.json'), '{ "live": ')
    await until('problem noted', () => live.problems.find((p) => p.includes('config.json is not valid JSON')), 5000)
    await new Promise((r) => setTimeout(r, 300))
    expect(live.collector.tails.map((t) => t.dir)).toEqual([b])
    expect(live.otlp).toBeNull()
  }, 30_000)

  it('leave what the process pinned alone', async () => {
    const dir = tempDir()
    core = createCore({ path: join(dir, 'pinned.db') })
    host = await startHost({ core, token: TOKEN, port: 0 })
    const live = await startLiveServices(core, { token: TOKEN, hostPort: host.port, watch: [], otlpPort: null, configCheckMs: 100 })
    services.push(live)
    await set({ 'live.watch': [dir], 'live.otlpPort': 0, 'live.sampling.rate': 0.25 })
    await until('sampling followed', async () => (await health()).sampling.baseRate === 0.25, 5000)
    expect(live.collector.tails).toEqual([])
    expect(live.otlp).toBeNull()
  }, 20_000)
})
