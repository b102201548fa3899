import { readFileSync } from 'node:fs'

// Computes what a run's numbers must be straight from transcript files, with logic written
// independently of the importer, so tests compare our output with an outside answer.

export const FIXTURES = new URL('../../../shared/fixtures/real/', import.meta.url).pathname
export const CC = `${FIXTURES}claude-code-jsonl/claude-code-log/`
export const SIDECHAIN = `${CC}sidechain_integrated.jsonl`
export const SHOWCASE_MAIN = `${CC}minimal_showcase/55550000-0000-4000-8000-000000000001.jsonl`
export const SHOWCASE_SUB = `${CC}minimal_showcase/55550000-0000-4000-8000-000000000001/subagents/agent-showcol1.jsonl`

export interface SessionFacts {
  sessionId: string
  llmCalls: number
  toolCalls: number
  agents: number
  inputTokens: number
  outputTokens: number
  cacheCreationTokens: number
  cacheReadTokens: number
  durationMs: number
  perAgentLlmCalls: Record<string, number>
}

type Line = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

export function sessionFacts(files: string[]): Map<string, SessionFacts> {
  const lines: Line[] = files.flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Line),
  )
  const out = new Map<string, SessionFacts>()
  const sessions = new Set(lines.map((l) => l.sessionId as string).filter(Boolean))
  for (const sessionId of sessions) {
    const own = lines.filter((l) => l.sessionId === sessionId)
    const subagents = new Set<string>()
    for (const l of own) {
      if (l.isSidechain && l.agentId) subagents.add(l.agentId)
      if (!l.isSidechain && l.type === 'user' && l.agentId) subagents.add(l.agentId)
      if (l.toolUseResult?.agentId) subagents.add(l.toolUseResult.agentId)
    }
    const seen = new Set<string>()
    const tools = new Set<string>()
    const f: SessionFacts = {
      sessionId, llmCalls: 0, toolCalls: 0, agents: 1 + subagents.size, inputTokens: 0, outputTokens: 0,
      cacheCreationTokens: 0, cacheReadTokens: 0, durationMs: 0, perAgentLlmCalls: {},
    }
    const times = own.filter((l) => l.timestamp).map((l) => Date.parse(l.timestamp))
    f.durationMs = Math.max(...times) - Math.min(...times)
    for (const l of own) {
      if (l.type !== 'assistant' || !l.message?.usage || l.message.model === '<synthetic>') continue
      for (const b of l.message.content ?? []) if (b.type === 'tool_use') tools.add(b.id)
      const key = `${l.message.id}:${l.requestId ?? ''}`
      if (seen.has(key)) continue
      seen.add(key)
      const u = l.message.usage
      f.llmCalls++
      f.inputTokens += u.input_tokens ?? 0
      f.outputTokens += u.output_tokens ?? 0
      f.cacheCreationTokens += u.cache_creation_input_tokens ?? 0
      f.cacheReadTokens += u.cache_read_input_tokens ?? 0
      // Sidechain lines without an agentId belong to the session's only subagent (the documented rule).
      const agent = l.isSidechain ? (l.agentId ?? (subagents.size === 1 ? [...subagents][0] : 'sidechain')) : 'main'
      f.perAgentLlmCalls[agent] = (f.perAgentLlmCalls[agent] ?? 0) + 1
    }
    f.toolCalls = tools.size
    out.set(sessionId, f)
  }
  return out
}
