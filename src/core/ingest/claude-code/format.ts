import { basename, dirname } from 'node:path'
import type { FormatImporter, SniffInput } from '../formats'
import { readLines } from '../lines'
import { LineError } from '../records'
import { ClaudeCodeParser, type ResumeState } from './parser'

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
    const result = await readLines(
      ctx.path,
      ctx.size,
      (text, lineNo) => {
        try {
          parser.line(text, lineNo)
        } catch (e) {
          if (e instanceof LineError) ctx.skip(lineNo, e.message)
          else throw e
        }
      },
      // A last line without its newline is complete only if it parses; otherwise it is being written.
      (last) => {
        try {
          JSON.parse(last)
          return true
        } catch {
          return false
        }
      },
      { startOffset: ctx.resumeFrom?.offset, startLine: ctx.resumeFrom?.lines, signal: ctx.signal, onProgress: ctx.progress },
    )
    if (result.incompleteTail) ctx.skip(result.lines + 1, 'incomplete last line (no newline, not valid JSON); it is read again on the next import')
    const resume = parser.finish()
    return { endOffset: result.endOffset, lines: result.lines, resume: resume as Record<string, unknown> }
  },
}
