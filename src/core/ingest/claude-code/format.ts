import { basename, dirname } from 'node:path'
import type { FormatImporter, SniffInput } from '../formats'
import { readJsonLines } from '../json-lines'
import { ClaudeCodeParser } from './parser'
import type { ResumeState } from './resume-state'

/** Keys only a transcript line has, searched as bytes: decoding each 64 KB head to run a regex over it cost ~7 µs a file. */
const SESSION_KEYS = ['"sessionId"', '"parentUuid"', '"isSidechain"'].map((k) => Buffer.from(k))

/** Whether one of SESSION_KEYS appears as a key (followed by `:`, whitespace allowed, as `/"sessionId"\s*:/` reads it) in the head. */
function hasSessionKey(head: Buffer): boolean {
  for (const key of SESSION_KEYS) {
    for (let at = head.indexOf(key); at !== -1; at = head.indexOf(key, at + 1)) {
      let i = at + key.length
      while (head[i] === 0x20 || (head[i] >= 0x09 && head[i] <= 0x0d)) i++
      if (head[i] === 0x3a) return true
      // Other whitespace (U+00A0, U+2028…) before the colon: decoded only then.
      if (head[i] >= 0x80 && /^\s*:/.test(head.toString('utf8', i, Math.min(head.length, i + 256)))) return true
    }
  }
  return false
}

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
    return hasSessionKey(head)
  },
  async importFile(ctx) {
    const parser = new ClaudeCodeParser(ctx.sink, { file: ctx.path, ...placeOf(ctx.path) }, (ctx.resumeFrom?.resume ?? {}) as ResumeState)
    const result = await readJsonLines(ctx, (text, lineNo) => parser.line(text, lineNo))
    const resume = parser.finish()
    return { endOffset: result.endOffset, lines: result.lines, resume: resume as Record<string, unknown> }
  },
}
