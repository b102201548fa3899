import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { mulberry32 as rng } from '../../src/core/analysis/stats/random'

// Generated swarm runs in Swarmscope NDJSON: a main agent and subagents started by Task calls,
// LLM calls of two models, tool calls with some errors, a few planted slow calls (anomalies),
// events and metric samples. Deterministic for a seed. The tests compare what different
// transports answer about these runs, so no facts are computed here.

export interface SwarmSpec {
  runId: string
  seed: number
  subagents?: number
  callsPerAgent?: number
  /** Multiplies every LLM latency (1.3 = a planted 30 % slowdown). */
  latencyFactor?: number
  /** Calls (by index) made 12× slower than usual: latency anomalies. */
  slowCalls?: number[]
  /** One tool call in `errorEvery` fails. */
  errorEvery?: number
  startMs?: number
}

export function swarmNdjson(s: SwarmSpec): string {
  const rnd = rng(s.seed)
  const logn = (median: number) => Math.round(median * Math.exp(0.35 * Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd())))
  const lines: object[] = [{ v: 1, type: 'run', id: s.runId, name: `swarm ${s.runId}`, source: 'test-swarm', attrs: { seed: s.seed } }]
  const start = s.startMs ?? Date.UTC(2026, 0, 1) + s.seed * 3_600_000
  const tools = ['Read', 'Grep', 'Bash', 'Edit']
  let call = 0
  const agent = (id: string, parentAgentId: string | null, parentSpanId: string | null, t0: number, model: string): number => {
    lines.push({ type: 'agent', id, name: id, agentType: parentAgentId ? 'coder' : 'main', parentAgentId, parentSpanId })
    let t = t0
    for (let i = 0; i < (s.callsPerAgent ?? 24); i++) {
      const slow = s.slowCalls?.includes(call) ? 12 : 1
      const ms = Math.max(50, Math.round(logn(model.includes('haiku') ? 900 : 2500) * (s.latencyFactor ?? 1) * slow))
      const input = 200 + Math.round(rnd() * 800)
      lines.push({ type: 'span', id: `${id}-llm${i}`, parentId: `agent:${id}`, agentId: id, kind: 'llm', name: model, model, start: t, end: t + ms, status: 'ok',
        inputTokens: input, outputTokens: 100 + Math.round(rnd() * 400), cacheReadTokens: input * 6, cacheCreationTokens: i === 0 ? 2000 : 0 })
      t += ms
      call++
      const tool = tools[i % tools.length]
      const tms = logn(tool === 'Bash' ? 1200 : 120)
      const failed = s.errorEvery ? i % s.errorEvery === s.errorEvery - 1 : false
      lines.push({ type: 'span', id: `${id}-tool${i}`, parentId: `${id}-llm${i}`, agentId: id, kind: 'tool', name: tool, start: t, end: t + tms, status: failed ? 'error' : 'ok', ...(failed ? { error: 'exit code 1' } : {}) })
      t += tms
    }
    return t
  }
  let t = start
  lines.push({ type: 'event', ts: t, name: 'swarm.started', severity: 'info', agentId: 'main' })
  t = agent('main', null, null, t, 'claude-sonnet-4-5')
  for (let k = 0; k < (s.subagents ?? 2); k++) {
    const task = `main-task${k}`
    const subStart = t + 5
    const subEnd = agent(`coder${k}`, 'main', task, subStart, 'claude-haiku-4-5')
    lines.push({ type: 'span', id: `agent:coder${k}`, parentId: task, agentId: `coder${k}`, kind: 'agent', name: `coder${k}`, start: subStart, end: subEnd, status: 'ok' })
    lines.push({ type: 'span', id: task, parentId: 'agent:main', agentId: 'main', kind: 'tool', name: 'Task', start: t, end: subEnd + 5, status: 'ok' })
    lines.push({ type: 'metric', name: 'queue.depth', value: k + 1, ts: subStart, labels: { queue: 'tasks' } })
    t = subEnd + 5
  }
  lines.push({ type: 'span', id: 'agent:main', agentId: 'main', kind: 'agent', name: 'main', start, end: t, status: 'ok' })
  lines.push({ type: 'event', ts: t, name: 'swarm.finished', severity: 'info', agentId: 'main' })
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n'
}

/** Writes runs as `<runId>.ndjson` files in `dir`; returns their paths. */
export function writeSwarms(dir: string, specs: SwarmSpec[]): string[] {
  return specs.map((s) => {
    const path = join(dir, `${s.runId}.ndjson`)
    writeFileSync(path, swarmNdjson(s))
    return path
  })
}

export const REAL_FIXTURES = new URL('../../../shared/fixtures/real/', import.meta.url).pathname
export const BIN = new URL('../../bin/swarmscope.mjs', import.meta.url).pathname
