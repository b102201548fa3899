import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../src/core'
import { tempDir } from '../helpers/temp'
import { swarmNdjson } from './swarm-fixture'

// The config.* routes the app's settings screen uses: the same file and schema as the CLI, and
// price overrides set through them reprice stored runs like `pricing set` does.

let core: Core
afterEach(() => core?.close())

async function data<T>(p: Promise<{ ok: true; data: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const r = await p
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.data
}

describe('config routes', () => {
  it('validate every change, keep the file beside the database, and reprice runs when price overrides change', async () => {
    const dir = tempDir()
    const db = join(dir, 'c.db')
    const file = join(dir, 'run.ndjson')
    writeFileSync(file, swarmNdjson({ runId: 'r', seed: 4, callsPerAgent: 5 }))
    core = createCore({ path: db })
    await data(core.call('import.paths', { paths: [file] }))
    const builtInCost = (await data(core.call('runs.get', { id: 'r' }))).costUsd

    const view = await data(core.call('config.set', { values: { 'ui.theme': 'dark', 'pricing.overrides': [{ match: 'claude-sonnet-4-5', input: 30, output: 150 }] } }))
    expect(view.path).toBe(join(dirname(db), 'config.json'))
    expect(JSON.parse(readFileSync(view.path!, 'utf8')).ui.theme).toBe('dark')
    // Expected from the file: Sonnet at the override (cache write 1.25×, read 0.1× input), Haiku at $1/$5.
    const rates = { 'claude-sonnet-4-5': [30, 150, 37.5, 3], 'claude-haiku-4-5': [1, 5, 1.25, 0.1] } as Record<string, number[]>
    const expected = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.kind === 'llm')
      .reduce((n, l) => n + (l.inputTokens * rates[l.model][0] + l.outputTokens * rates[l.model][1] + l.cacheCreationTokens * rates[l.model][2] + l.cacheReadTokens * rates[l.model][3]) / 1e6, 0)
    expect((await data(core.call('runs.get', { id: 'r' }))).costUsd).toBeCloseTo(expected, 12)

    const bad = await core.call('config.set', { values: { 'ui.theme': 'purple' } })
    expect(bad.ok).toBe(false)
    expect(!bad.ok && bad.error).toEqual({ code: 'bad_request', message: 'invalid value for ui.theme: ui.theme: Invalid option: expected one of "system"|"light"|"dark"' })
    expect((await core.call('config.set', { values: { 'nope.key': 1 } })).ok).toBe(false)
    expect((await data(core.call('config.get', {}))).config.ui.theme).toBe('dark') // nothing was saved by the failed calls

    await data(core.call('config.reset', { keys: ['pricing'] }))
    expect((await data(core.call('runs.get', { id: 'r' }))).costUsd).toBeCloseTo(builtInCost, 12)
    expect((await data(core.call('config.get', {}))).config.ui.theme).toBe('dark')
  })
})
