// Generated swarm runs in Swarmscope NDJSON v1 (docs/formats/ndjson.md), with the facts a
// test expects computed here while generating, independently of the importer and the UI.
// Deterministic: the same options give the same bytes.

import { mulberry32 as rng } from '../../src/core/analysis/stats/random'

export interface SwarmOptions {
  runId: string
  name?: string
  seed: number
  /** Subagents under `main`, each started by a Task tool call. */
  subagents: number
  /** LLM calls per agent; each is followed by 0–3 tool calls run in parallel. */
  callsPerAgent: number
  /** Multiplies every LLM latency (1.3 = a planted 30 % slowdown). */
  latencyFactor?: number
  /** Epoch ms of the first span. */
  startMs?: number
  /** One tool call in `errorEvery` fails (0: none). */
  errorEvery?: number
}

export interface SwarmFacts {
  runId: string
  agents: number
  llmCalls: number
  toolCalls: number
  errors: number
  inputTokens: number
  outputTokens: number
  cacheCreationTokens: number
  cacheReadTokens: number
  costUsd: number
  startMs: number
  endMs: number
  /** Every LLM latency in ms, in call order. */
  llmLatencies: number[]
  perAgent: Record<string, { llmCalls: number; toolCalls: number; costUsd: number }>
  perTool: Record<string, { count: number; errors: number }>
  perModel: Record<string, { llmCalls: number; costUsd: number }>
}

const MODELS = [
  { id: 'claude-sonnet-4-5', input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  { id: 'claude-haiku-4-5', input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 },
]
const TOOLS = ['Read', 'Grep', 'Edit', 'Bash', 'WebFetch']

/** Lines of one run plus its facts. Agents work one after another so a run's wall time is their sum. */
export function generateSwarm(o: SwarmOptions): { ndjson: string; facts: SwarmFacts } {
  const rand = rng(o.seed)
  const lines: string[] = [JSON.stringify({ v: 1, type: 'run', id: o.runId, name: o.name ?? o.runId, source: 'generated' })]
  const t0 = o.startMs ?? 1_767_261_600_000 + o.seed * 3_600_000
  const f: SwarmFacts = {
    runId: o.runId, agents: 1 + o.subagents, llmCalls: 0, toolCalls: 0, errors: 0, inputTokens: 0, outputTokens: 0,
    cacheCreationTokens: 0, cacheReadTokens: 0, costUsd: 0, startMs: t0, endMs: t0, llmLatencies: [], perAgent: {}, perTool: {}, perModel: {},
  }
  let t = t0
  let spanNo = 0
  const span = (rec: Record<string, unknown>) => lines.push(JSON.stringify({ type: 'span', ...rec }))

  const work = (agentId: string, model: (typeof MODELS)[number], calls: number, after?: (i: number, end: number) => number) => {
    const a = (f.perAgent[agentId] ??= { llmCalls: 0, toolCalls: 0, costUsd: 0 })
    for (let i = 0; i < calls; i++) {
      const latency = Math.round((800 + rand() * 4000) * (o.latencyFactor ?? 1))
      const input = 200 + Math.floor(rand() * 3000)
      const output = 50 + Math.floor(rand() * 900)
      const cacheRead = Math.floor(rand() * 20000)
      const cacheWrite = i === 0 ? 4000 : Math.floor(rand() * 500)
      // Integer micro-dollars keep the expected sums exact.
      const cost = Math.round(input * model.input + output * model.output + cacheWrite * model.cacheWrite + cacheRead * model.cacheRead) / 1e6
      span({ id: `l${++spanNo}`, agentId, kind: 'llm', name: model.id, model: model.id, start: t, end: t + latency, status: 'ok', inputTokens: input, outputTokens: output, cacheReadTokens: cacheRead, cacheCreationTokens: cacheWrite, costUsd: cost })
      t += latency
      f.llmCalls++
      f.llmLatencies.push(latency)
      f.inputTokens += input
      f.outputTokens += output
      f.cacheReadTokens += cacheRead
      f.cacheCreationTokens += cacheWrite
      f.costUsd += cost
      a.llmCalls++
      a.costUsd += cost
      const m = (f.perModel[model.id] ??= { llmCalls: 0, costUsd: 0 })
      m.llmCalls++
      m.costUsd += cost
      // Parallel tool calls after the response: the next call waits for the slowest.
      const tools = Math.floor(rand() * 4)
      let slowest = 0
      for (let k = 0; k < tools; k++) {
        const name = TOOLS[Math.floor(rand() * TOOLS.length)]
        const ms = 20 + Math.floor(rand() * 1500)
        const failed = o.errorEvery ? (f.toolCalls + 1) % o.errorEvery === 0 : false
        span({ id: `t${++spanNo}`, agentId, kind: 'tool', name, start: t + 5, end: t + 5 + ms, status: failed ? 'error' : 'ok', ...(failed ? { error: 'exit code 1' } : {}), attrs: { inputBytes: 100 + k } })
        f.toolCalls++
        a.toolCalls++
        const tf = (f.perTool[name] ??= { count: 0, errors: 0 })
        tf.count++
        if (failed) {
          tf.errors++
          f.errors++
        }
        slowest = Math.max(slowest, 5 + ms)
      }
      t += slowest + 10
      if (after) t = after(i, t)
    }
  }

  lines.push(JSON.stringify({ type: 'agent', id: 'main', name: 'main', agentType: 'coordinator' }))
  const mainStart = t
  let nextSub = 0
  // main delegates to one subagent after each of its first `subagents` calls.
  work('main', MODELS[0], Math.max(o.callsPerAgent, o.subagents), (i, end) => {
    if (nextSub >= o.subagents || i >= o.subagents) return end
    const sub = `sub${++nextSub}`
    const taskId = `task${nextSub}`
    lines.push(JSON.stringify({ type: 'agent', id: sub, name: `worker ${nextSub}`, agentType: 'worker', parentAgentId: 'main', parentSpanId: taskId }))
    const start = end
    t = start + 5
    const subStart = t
    work(sub, MODELS[nextSub % MODELS.length], o.callsPerAgent)
    span({ id: `agent:${sub}`, parentId: taskId, agentId: sub, kind: 'agent', name: `worker ${nextSub}`, start: subStart, end: t, status: 'ok' })
    span({ id: taskId, agentId: 'main', kind: 'tool', name: 'Task', start, end: t + 5, status: 'ok', attrs: { inputBytes: 512 } })
    f.toolCalls++
    f.perAgent.main.toolCalls++
    const tf = (f.perTool.Task ??= { count: 0, errors: 0 })
    tf.count++
    return t + 10
  })
  span({ id: 'agent:main', agentId: 'main', kind: 'agent', name: 'main', start: mainStart, end: t, status: 'ok' })
  f.endMs = t
  f.costUsd = Math.round(f.costUsd * 1e6) / 1e6
  return { ndjson: lines.join('\n') + '\n', facts: f }
}

/** Percentile by linear interpolation between closest ranks (type 7, as numpy's default). */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  const h = (s.length - 1) * p
  const lo = Math.floor(h)
  return s[lo] + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]) - s[lo])
}
