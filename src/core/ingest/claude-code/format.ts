import { basename, dirname } from 'node:path'
import { CoreError } from '../../../shared/result'
import type { FormatImporter, SniffInput } from '../formats'
import { readJsonLines } from '../json-lines'
import { ClaudeCodeParser } from './parser'
import type { ResumeState } from './resume-state'

const SESSION_KEYS = /"(sessionId|parentUuid|isSidechain)"\s*:/

/** `<session>.jsonl` or `<session>/subagents/agent-<id>.jsonl`. */
export function placeOf(path: string): { sessionIdFromPath: string | null; agentIdFromPath: string | null } {
  const name = basename(path, '.jsonl')
  const agent = /^agent-(.+)$/.exec(name)
  if (agent && basename(dirname(path)) === 'subagents') {
    return { sessionIdFromPath: basename(dirname(dirname(path))), agentIdFromPath: agent[1] }
  }
  return { sessionIdFromPath: agent ? null : name, agentIdFromPath: null }
}

export const claudeCodeFormat: FormatImporter = {
  format: 'claude-code-jsonl',
  appendOnly: true,
  sniff({ name, head }: SniffInput) {
    if (!name.endsWith('.jsonl')) return false
    return SESSION_KEYS.test(head.toString('utf8'))
  },
  async importFile(ctx) {
    const parser = new ClaudeCodeParser(ctx.sink, { file: ctx.path, ...placeOf(ctx.path) }, (ctx.resumeFrom?.resume ?? {}) as ResumeState)
    try {
      const result = await readJsonLines(ctx, (text, lineNo) => parser.line(text, lineNo))
      const resume = await parser.finish(async () => {
        if (ctx.signal?.aborted) throw new CoreError('cancelled', 'import cancelled')
        await ctx.throttle?.()
      })
      return { endOffset: result.endOffset, lines: result.lines, resume: resume as Record<string, unknown> }
    } finally {
      parser.dispose()
    }
  },
}
