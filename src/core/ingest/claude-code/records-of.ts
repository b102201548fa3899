import { redactPath } from '../../privacy/redact'
import type { RunRecord, SpanRecord } from '../records'
import { int, str } from './fields'

/**
 * The records one transcript line makes, built apart from the parser's bookkeeping: an LLM
 * response's span and a session's run.
 */

/**
 * The span of one LLM response, from the first of its lines (the usage each line repeats is
 * read once, as ccusage does). A response without usage is still a call, with no tokens.
 */
export function llmSpan(
  runId: string, agentId: string, spanId: string, rec: Record<string, unknown>, message: Record<string, unknown>, startMs: number, ts: number,
): SpanRecord {
  const model = str(message.model)
  const usage = message.usage as Record<string, unknown> | undefined
  if (!usage) return { runId, id: spanId, parentId: `agent:${agentId}`, agentId, kind: 'llm', name: model ?? 'llm', startMs, endMs: ts, model }
  const cacheCreation = usage.cache_creation as Record<string, unknown> | undefined
  return {
    runId, id: spanId, parentId: `agent:${agentId}`, agentId, kind: 'llm', name: model ?? 'llm',
    startMs, endMs: ts, status: 'ok', model,
    inputTokens: int(usage.input_tokens, 'usage.input_tokens') ?? 0,
    outputTokens: int(usage.output_tokens, 'usage.output_tokens') ?? 0,
    cacheCreationTokens: int(usage.cache_creation_input_tokens, 'usage.cache_creation_input_tokens') ?? 0,
    cacheCreation5mTokens: cacheCreation ? int(cacheCreation.ephemeral_5m_input_tokens, 'usage.cache_creation.ephemeral_5m_input_tokens') : null,
    cacheCreation1hTokens: cacheCreation ? int(cacheCreation.ephemeral_1h_input_tokens, 'usage.cache_creation.ephemeral_1h_input_tokens') : null,
    cacheReadTokens: int(usage.cache_read_input_tokens, 'usage.cache_read_input_tokens') ?? 0,
    reportedCostUsd: typeof rec.costUSD === 'number' ? rec.costUSD : null,
    attrs: { 'gen_ai.system': 'anthropic', 'gen_ai.response.id': str(message.id), requestId: str(rec.requestId), stopReason: str(message.stop_reason) },
  }
}

/**
 * A session's run, from its first line. Only the project folder's name is kept, and never a
 * user name (`/home/alice` alone would name the project 'alice'). A file read on from where
 * the last import stopped leaves the run's details as its first lines set them: taken from the
 * first new line, they would depend on where imports split it.
 */
export function runRecord(runId: string, sessionId: string, rec: Record<string, unknown>, resumed: boolean): RunRecord {
  const cwd = str(rec.cwd)
  const last = cwd ? redactPath(cwd).split(/[\\/]/).filter(Boolean).pop() : undefined
  const project = last && last !== '~' && !last.includes('REDACTED') ? last : null
  return {
    id: runId, source: 'claude-code', format: 'claude-code-jsonl',
    name: `${project ?? 'session'} · ${sessionId.slice(0, 8)}`,
    attrs: resumed ? {} : { sessionId, claudeCodeVersion: str(rec.version), project },
  }
}
