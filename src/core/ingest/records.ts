import type { SpanKind } from '../../shared/dto'

// The one data model every source is turned into (see docs/data-model in the README).

/** A JSON object (not an array, not null): what every reader checks a parsed value for first. */
export const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

export interface RunRecord {
  id: string
  source: string
  format: string
  name: string
  attrs?: Record<string, unknown>
}

export interface AgentRecord {
  runId: string
  id: string
  name?: string | null
  type?: string | null
  parentAgentId?: string | null
  parentSpanId?: string | null
  attrs?: Record<string, unknown>
}

/**
 * Everything of agent `from` in a run given to agent `to`: its spans, events and subagents, its
 * agent span merged into `to`'s, and the agent itself removed. Claude Code 1.x wrote a subagent's
 * lines into the session's file without naming it; which agent they belong to is known only at
 * the end of the file (ClaudeCodeParser.finish), after they were written under a stand-in.
 */
export interface AgentMove {
  runId: string
  from: string
  to: string
}

export interface SpanRecord {
  runId: string
  id: string
  parentId?: string | null
  agentId?: string | null
  kind: SpanKind
  name: string
  startMs?: number | null
  endMs?: number | null
  status?: 'ok' | 'error' | 'unset'
  error?: string | null
  model?: string | null
  inputTokens?: number | null
  outputTokens?: number | null
  cacheCreationTokens?: number | null
  cacheCreation5mTokens?: number | null
  cacheCreation1hTokens?: number | null
  cacheReadTokens?: number | null
  costUsd?: number | null
  reportedCostUsd?: number | null
  attrs?: Record<string, unknown>
}

export interface SpanEnd {
  runId: string
  id: string
  endMs: number
  status: 'ok' | 'error'
  error?: string | null
  attrs?: Record<string, unknown>
}

export interface EventRecord {
  runId: string
  id: string
  ts: number
  name: string
  severity?: string | null
  agentId?: string | null
  attrs?: Record<string, unknown>
}

export interface MetricRecord {
  runId: string
  name: string
  unit?: string | null
  ts: number
  value: number
  labels?: Record<string, string>
  reported?: boolean
}

export type ContentPolicy = 'none' | 'redacted' | 'full'
export type ContentPart = 'input' | 'output' | 'prompt'

/**
 * Text that belongs to a span (a tool call's input and output, an LLM call's output) or to a
 * prompt event (`part: 'prompt'`, `spanId` = the event id). Kept only under the `redacted`
 * (after redaction) and `full` policies; `seq` tells the pieces of one span's text apart
 * (one per transcript line and block) so importing again does not repeat them.
 */
export interface ContentRecord {
  runId: string
  spanId: string
  part: ContentPart
  seq?: string
  ts?: number | null
  text: string
}

/** Where parsers put what they find. Writes are idempotent: the same record twice changes nothing. */
export interface RecordSink {
  /** The import's content policy; parsers skip building text (`content`) when it is 'none' or absent. */
  readonly contentPolicy?: ContentPolicy
  /** Stores text under the content policy (dropped under 'none', redacted first under 'redacted'). */
  content?(c: ContentRecord): void
  run(r: RunRecord): void
  agent(a: AgentRecord): void
  span(s: SpanRecord): void
  /** Updates an existing span only (end, status, attributes); returns whether it existed. */
  endSpan(e: SpanEnd): boolean
  event(e: EventRecord): void
  metric(m: MetricRecord): void
  /** Gives one agent's rows to another (AgentMove). */
  moveAgent(m: AgentMove): void
}

/** A problem with one input line: reported with file and line, and the import goes on. */
export class LineError extends Error {}
