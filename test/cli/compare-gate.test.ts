import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDb, tempDir } from '../helpers/temp'
import { mulberry32 as prng } from '../../src/core/analysis/stats/random'

const BIN = new URL('../../bin/swarmscope.mjs', import.meta.url).pathname
const cli = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 })

const lognormal = (rnd: () => number, medianMs: number) => {
  const z = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd())
  return Math.round(medianMs * Math.exp(0.35 * z))
}

/** A Claude Code session whose LLM calls take `factor` × a log-normal latency. */
function writeSession(dir: string, id: string, seed: number, factor: number): void {
  const rnd = prng(seed)
  let t = Date.UTC(2026, 0, 1) + seed * 1000
  let parent = `${id}-u0`
  const lines = [JSON.stringify({ type: 'user', sessionId: id, uuid: parent, timestamp: new Date(t).toISOString(), message: { role: 'user', content: 'go' } })]
  for (let i = 1; i <= 30; i++) {
    t += Math.round(lognormal(rnd, 4000) * factor)
    const uuid = `${id}-a${i}`
    lines.push(JSON.stringify({ type: 'assistant', sessionId: id, uuid, parentUuid: parent, requestId: `r-${id}-${i}`, timestamp: new Date(t).toISOString(), message: { id: `m-${id}-${i}`, model: 'claude-sonnet-4-5-20250929', usage: { input_tokens: 10, output_tokens: 200 + Math.round(rnd() * 50), cache_read_input_tokens: 20000 }, content: [{ type: 'tool_use', id: `t-${id}-${i}`, name: 'Read', input: {} }] } }))
    t += lognormal(rnd, 300)
    parent = `${id}-r${i}`
    lines.push(JSON.stringify({ type: 'user', sessionId: id, uuid: parent, parentUuid: uuid, timestamp: new Date(t).toISOString(), message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: `t-${id}-${i}`, content: 'ok' }] } }))
  }
  writeFileSync(join(dir, `${id}.jsonl`), lines.join('\n') + '\n')
}

function group(db: string, name: string, seed0: number, factor: number): void {
  const dir = join(tempDir(), name)
  mkdirSync(dir)
  for (let i = 0; i < 10; i++) writeSession(dir, `${name}-${i}`, seed0 + i, factor)
  expect(cli(['--db', db, 'import', dir, '--group', name]).status).toBe(0)
}

describe('swarmscope compare as a CI gate', () => {
  it('flags a planted 20% LLM latency regression between groups and exits 1', () => {
    const db = tempDb()
    group(db, 'baseline', 100, 1)
    group(db, 'slower', 200, 1.2)
    const r = cli(['--db', db, 'compare', 'group:baseline', 'group:slower', '--fail-on-regression', '--json'])
    expect(r.stderr).toBe('')
    expect(r.status).toBe(1)
    const out = JSON.parse(r.stdout)
    const latency = out.comparisons[0].metrics.find((m: { metric: string }) => m.metric === 'llm_latency_ms')
    expect(latency).toMatchObject({ verdict: 'regressed' })
    expect(latency.pValue).toBeLessThan(0.05)
    expect(latency.changePct).toBeGreaterThan(10)
    expect(out.regressions.length).toBeGreaterThan(0)
  })

  it('passes (exit 0) when both groups come from the same distribution', () => {
    const db = tempDb()
    group(db, 'a', 300, 1)
    group(db, 'b', 400, 1)
    const r = cli(['--db', db, 'compare', 'group:a', 'group:b', '--fail-on-regression', '--json'])
    expect(r.status).toBe(0)
    expect(JSON.parse(r.stdout).regressions).toEqual([])
  })

  it('refuses a comparison with nothing to compare, in one sentence', () => {
    const r = cli(['--db', tempDb(), 'compare', 'group:none'])
    expect(r.status).toBe(2)
    expect(r.stderr.trim()).toBe('swarmscope: name at least two runs or groups, or one with --baseline')
  })
})
