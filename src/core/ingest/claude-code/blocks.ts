import type { RecordSink } from '../records'
import { str } from './fields'

export interface ToolUse {
  id: string
  name: string
  inputBytes: number
  /** The input as JSON text (what inputBytes measures); stored only under the redacted/full content policies. */
  inputJson: string
  subagentType: string | null
}

export interface ToolResult {
  toolUseId: string
  isError: boolean
  outputBytes: number
  /** The result's text (what outputBytes measures); stored only under the redacted/full content policies. */
  text: string
  /** `agentId: X` written into a Task/Agent result's text by Claude Code 2.1. */
  agentIdFromText: string | null
  /** The `<usage>` block Claude Code appends to a subagent's result: its own totals. */
  reportedUsage: Record<string, number> | null
}

const blocksOf = (content: unknown): Record<string, unknown>[] =>
  Array.isArray(content) ? content.filter((b): b is Record<string, unknown> => typeof b === 'object' && b !== null) : []

export function readToolUses(content: unknown): ToolUse[] {
  return blocksOf(content)
    .filter((b) => b.type === 'tool_use' && typeof b.id === 'string')
    .map((b) => {
      const input = (b.input ?? {}) as Record<string, unknown>
      const inputJson = JSON.stringify(b.input ?? null)
      return {
        id: b.id as string,
        name: str(b.name) ?? 'tool',
        inputBytes: inputJson.length,
        inputJson,
        subagentType: str(input.subagent_type),
      }
    })
}

const USAGE_BLOCK = /<usage>([\s\S]*?)<\/usage>/
const AGENT_ID_LINE = /(?:^|\n)agentId: ([\w-]+)/

export function textOf(content: unknown): string {
  if (typeof content === 'string') return content
  return blocksOf(content)
    .map((b) => (typeof b.text === 'string' ? b.text : ''))
    .join('\n')
}

/** `scanText(id)` says whether to look for subagent metadata in that result's text (it costs). */
export function readToolResults(content: unknown, scanText: (toolUseId: string) => boolean = () => true): ToolResult[] {
  return blocksOf(content)
    .filter((b) => b.type === 'tool_result' && typeof b.tool_use_id === 'string')
    .map((b) => {
      // The text is read for its size and Claude Code's own metadata lines; the parser stores it
      // only under the redacted/full content policies.
      const text = textOf(b.content)
      const scan = scanText(b.tool_use_id as string)
      const usage = scan ? USAGE_BLOCK.exec(text)?.[1] : undefined
      let reportedUsage: Record<string, number> | null = null
      if (usage) {
        reportedUsage = {}
        for (const m of usage.matchAll(/(\w+):\s*(\d+)/g)) reportedUsage[m[1]] = Number(m[2])
      }
      return {
        toolUseId: b.tool_use_id as string,
        isError: b.is_error === true,
        outputBytes: text.length,
        text,
        agentIdFromText: scan ? (AGENT_ID_LINE.exec(text)?.[1] ?? null) : null,
        reportedUsage,
      }
    })
}

/** Makes `subagentId` a child of the agent and tool call that started it. */
export function linkSubagent(
  sink: RecordSink,
  runId: string,
  subagentId: string,
  parentAgentId: string,
  toolSpanId: string,
  reportedUsage: Record<string, number> | null,
): void {
  sink.agent({
    runId,
    id: subagentId,
    parentAgentId,
    parentSpanId: toolSpanId,
    attrs: reportedUsage ? { reported: reportedUsage } : {},
  })
}
