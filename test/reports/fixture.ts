import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { mulberry32 as rng } from '../../src/core/analysis/stats/random'

// A run written as Swarmscope NDJSON (docs/formats/ndjson.md), the way a user's tool would,
// with the facts the report tests expect worked out here while writing it. One agent's name is
// an HTML injection attempt, so every format must show it as text.

export const EVIL = '<img src=x onerror=alert(1)>'

export interface RunFacts {
  runId: string
  name: string
  costUsd: number
  llmCalls: number
  toolCalls: number
  models: string[]
  agentNames: string[]
}

export function writeRunFile(dir: string, o: { runId: string; name: string; seed: number; calls?: number; slow?: number; startMs?: number }): { file: string; facts: RunFacts } {
  const rand = rng(o.seed)
  const models = ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1']
  const agents = [{ id: 'main', name: 'coordinator' }, { id: 'a1', name: EVIL }, { id: 'a2', name: 'tester' }]
  const lines = [JSON.stringify({ v: 1, type: 'run', id: o.runId, name: o.name, source: 'generated' })]
  for (const a of agents) lines.push(JSON.stringify({ type: 'agent', id: a.id, name: a.name, ...(a.id !== 'main' ? { parentAgentId: 'main' } : {}) }))
  let t = o.startMs ?? 1_767_261_600_000 + o.seed * 86_400_000
  let micro = 0
  let llm = 0
  let tools = 0
  const calls = o.calls ?? 40
  for (let i = 0; i < calls; i++) {
    const agent = agents[i % agents.length]
    const model = models[i % models.length]
    const ms = Math.round((600 + rand() * 3000) * (o.slow ?? 1))
    // Whole micro-dollars, at least $0.01 a call: the total is exact and well above a cent.
    const cost = 10_000 + Math.floor(rand() * 90_000)
    micro += cost
    lines.push(JSON.stringify({ type: 'span', id: `l${i}`, agentId: agent.id, kind: 'llm', name: model, model, start: t, end: t + ms, status: 'ok', inputTokens: 100 + i, outputTokens: 50 + Math.floor(rand() * 800), cacheReadTokens: Math.floor(rand() * 9000), cacheCreationTokens: 200, costUsd: cost / 1e6 }))
    llm++
    t += ms
    const tool = ['Read', 'Bash', 'Grep'][i % 3]
    const tms = 20 + Math.floor(rand() * 900)
    lines.push(JSON.stringify({ type: 'span', id: `t${i}`, agentId: agent.id, kind: 'tool', name: tool, start: t, end: t + tms, status: i % 9 === 4 ? 'error' : 'ok' }))
    tools++
    t += tms + 5
  }
  const file = join(dir, `${o.runId}.ndjson`)
  writeFileSync(file, lines.join('\n') + '\n')
  return { file, facts: { runId: o.runId, name: o.name, costUsd: micro / 1e6, llmCalls: llm, toolCalls: tools, models: models.slice(0, Math.min(calls, models.length)), agentNames: agents.map((a) => a.name) } }
}
