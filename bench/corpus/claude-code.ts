import { appendFileSync, closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { mulberry32 as prng } from '../../src/core/analysis/stats/random'

// Writes realistic Claude Code transcripts, the way Claude Code writes them: compact JSON, one
// line per content block (each repeating the response's usage), tool results carrying file
// contents, and Task calls whose subagents live in `<session>/subagents/agent-<id>.jsonl`.

export interface CorpusStats {
  root: string
  files: number
  lines: number
  bytes: number
  sessions: string[]
}

const WORDS = 'the agent reads files runs tests edits code plans reviews the swarm and reports results with tokens latency cost'.split(' ')
const TOOLS = ['Read', 'Edit', 'Bash', 'Grep', 'Glob', 'Write', 'WebFetch']
const MODELS = ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001', 'claude-opus-4-1-20250805']

class SessionWriter {
  private t: number
  private seq = 0
  constructor(
    private readonly rnd: () => number,
    private readonly sessionId: string,
    start: number,
    /** Keeps ids unique when turns are appended to an existing transcript later. */
    private readonly idPrefix = '',
  ) {
    this.t = start
  }
  int = (lo: number, hi: number) => lo + Math.floor(this.rnd() * (hi - lo + 1))
  text(lo: number, hi: number) {
    const n = this.int(lo, hi)
    let s = ''
    while (s.length < n) s += WORDS[this.int(0, WORDS.length - 1)] + ' '
    return s.slice(0, n)
  }
  private base(type: string, extra: Record<string, unknown>) {
    this.t += this.int(200, 9000)
    this.seq++
    return { parentUuid: this.seq > 1 ? `${this.sessionId}-${this.idPrefix}u${this.seq - 1}` : null, isSidechain: false, userType: 'external', cwd: '/home/dev/project', sessionId: this.sessionId, version: '2.1.20', type, uuid: `${this.sessionId}-${this.idPrefix}u${this.seq}`, timestamp: new Date(this.t).toISOString(), ...extra }
  }
  prompt(extra: Record<string, unknown> = {}) {
    return JSON.stringify(this.base('user', { ...extra, message: { role: 'user', content: this.text(80, 1500) } }))
  }
  /** One API response: a line per content block, each with the same id and usage. */
  response(blocks: unknown[], extra: Record<string, unknown> = {}) {
    const id = `msg_${this.sessionId.slice(0, 8)}_${this.idPrefix}${this.seq}`
    const usage = { input_tokens: this.int(1, 30), cache_creation_input_tokens: this.int(0, 6000), cache_read_input_tokens: this.int(8000, 160000), output_tokens: this.int(40, 2500), service_tier: 'standard' }
    const model = MODELS[this.int(0, MODELS.length - 1)]
    return blocks.map((b) =>
      JSON.stringify(this.base('assistant', { ...extra, requestId: `req_${id}`, message: { id, type: 'message', role: 'assistant', model, content: [b], stop_reason: null, usage } })),
    )
  }
  toolResult(toolUseId: string, extra: Record<string, unknown> = {}, toolUseResult?: unknown) {
    const content = [{ type: 'tool_result', tool_use_id: toolUseId, content: this.text(200, 9000), is_error: this.rnd() < 0.03 }]
    return JSON.stringify(this.base('user', { ...extra, message: { role: 'user', content }, ...(toolUseResult ? { toolUseResult } : {}) }))
  }
  turn(extra: Record<string, unknown> = {}): string[] {
    const toolId = `toolu_${this.sessionId.slice(0, 8)}_${this.idPrefix}${this.seq}`
    const tool = TOOLS[this.int(0, TOOLS.length - 1)]
    return [
      ...this.response([{ type: 'text', text: this.text(60, 1200) }, { type: 'tool_use', id: toolId, name: tool, input: { path: '/home/dev/project/src/' + this.text(5, 30).replace(/ /g, '_'), command: this.text(10, 300) } }], extra),
      this.toolResult(toolId, extra),
    ]
  }
}

function writeSession(dir: string, rnd: () => number, sessionId: string, start: number, targetBytes: number): { files: number; lines: number; bytes: number } {
  const w = new SessionWriter(rnd, sessionId, start)
  const main: string[] = [w.prompt()]
  let bytes = main[0].length + 1
  let files = 1
  let lines = 0
  const push = (...more: string[]) => {
    main.push(...more)
    for (const l of more) bytes += l.length + 1
  }
  while (bytes < targetBytes) {
    if (w.int(1, 15) === 1) {
      // A Task call with a subagent transcript of its own.
      const agentId = `a${sessionId.slice(0, 6)}${main.length}`
      const toolId = `toolu_task_${sessionId.slice(0, 6)}_${main.length}`
      push(...w.response([{ type: 'tool_use', id: toolId, name: 'Task', input: { subagent_type: 'general-purpose', description: w.text(10, 60), prompt: w.text(100, 800) } }]))
      const side = { isSidechain: true, agentId }
      const sub = [w.prompt(side)]
      for (let i = w.int(3, 15); i > 0; i--) sub.push(...w.turn(side))
      const subDir = join(dir, sessionId, 'subagents')
      mkdirSync(subDir, { recursive: true })
      const text = sub.join('\n') + '\n'
      writeFileSync(join(subDir, `agent-${agentId}.jsonl`), text)
      bytes += text.length
      files++
      lines += sub.length
      push(w.toolResult(toolId, {}, { agentId, status: 'completed' }))
    } else push(...w.turn())
  }
  const text = main.join('\n') + '\n'
  writeFileSync(join(dir, `${sessionId}.jsonl`), text)
  return { files, lines: lines + main.length, bytes }
}

/** A `projects/` tree of about `targetBytes`, as under ~/.claude. */
export function generateCorpus(root: string, targetBytes: number, seed = 42): CorpusStats {
  const rnd = prng(seed)
  const stats: CorpusStats = { root, files: 0, lines: 0, bytes: 0, sessions: [] }
  let written = 0
  for (let i = 0; written < targetBytes; i++) {
    const dir = join(root, 'projects', `-home-dev-project-${i % 25}`)
    mkdirSync(dir, { recursive: true })
    const sessionId = `${(seed * 7919 + i).toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`
    const s = writeSession(dir, rnd, sessionId, Date.UTC(2026, 0, 1) + i * 3_600_000, Math.floor(60_000 + rnd() * 400_000))
    stats.files += s.files
    stats.lines += s.lines
    written += s.bytes
    stats.sessions.push(join(dir, `${sessionId}.jsonl`))
  }
  stats.bytes = written
  return stats
}

/**
 * One session of about `targetBytes` in a single transcript, written as it is made (a gigabyte
 * is more than one string can hold): the issue's "1 GB JSONL". Its Task calls name their
 * subagents as Claude Code does; the subagents' own transcripts are left out.
 *
 * `inFileSidechains` writes it as Claude Code 1.x did instead: a Task call every few turns, its
 * subagent's turns in the session's own file as sidechain lines that name no agent (the first
 * with no parent), and a result that names none either. Most lines are then such lines, which
 * the importer can place only once the file has been read (the worst case for its memory).
 */
export function generateLongSession(root: string, targetBytes: number, seed = 43, opts: { inFileSidechains?: boolean } = {}): { file: string; lines: number; bytes: number } {
  const rnd = prng(seed)
  const dir = join(root, 'projects', '-home-dev-long-session')
  mkdirSync(dir, { recursive: true })
  const sessionId = `${seed.toString(16).padStart(8, '0')}-0000-4000-8000-0000000000ff`
  const file = join(dir, `${sessionId}.jsonl`)
  const w = new SessionWriter(rnd, sessionId, Date.UTC(2026, 2, 1))
  const fd = openSync(file, 'w')
  let bytes = 0
  let lines = 0
  let pending: string[] = []
  const push = (...more: string[]) => {
    for (const l of more) bytes += l.length + 1
    lines += more.length
    pending.push(...more)
    if (pending.length >= 1000) flush()
  }
  const flush = () => {
    if (pending.length > 0) writeSync(fd, pending.join('\n') + '\n')
    pending = []
  }
  try {
    push(w.prompt())
    while (bytes < targetBytes) {
      if (opts.inFileSidechains && w.int(1, 4) === 1) {
        const toolId = `toolu_task_${lines}`
        push(...w.response([{ type: 'tool_use', id: toolId, name: 'Task', input: { subagent_type: 'general-purpose', description: w.text(10, 60), prompt: w.text(100, 800) } }]))
        push(w.prompt({ isSidechain: true, parentUuid: null }))
        for (let i = w.int(5, 15); i > 0; i--) push(...w.turn({ isSidechain: true }))
        push(w.toolResult(toolId, {}, { status: 'completed' }))
      } else if (w.int(1, 40) === 1) {
        const toolId = `toolu_task_${lines}`
        push(...w.response([{ type: 'tool_use', id: toolId, name: 'Task', input: { subagent_type: 'general-purpose', description: w.text(10, 60), prompt: w.text(100, 800) } }]))
        push(w.toolResult(toolId, {}, { agentId: `a${lines}`, status: 'completed' }))
      } else push(...w.turn())
    }
    flush()
  } finally {
    closeSync(fd)
  }
  return { file, lines, bytes }
}

/**
 * Appends complete new turns until `lines` new lines are written: one turn to every tenth
 * session in turn (1 % of the bench corpus's lines is one turn into ~40 % of its sessions), or, with `sessions`, turn after turn into
 * that many sessions spread over the corpus (as a day's work grows the few sessions in use).
 */
export function appendTurns(stats: CorpusStats, lines: number, seed = 7, opts: { sessions?: number } = {}): number {
  const rnd = prng(seed)
  const n = stats.sessions.length
  const k = opts.sessions === undefined ? 0 : Math.max(1, Math.min(n, opts.sessions))
  let added = 0
  for (let step = 0, i = 0; added < lines; step++, i = k ? Math.floor(((step % k) * n) / k) : (i + 10) % n) {
    const file = stats.sessions[i]
    const sessionId = file.split('/').pop()!.replace('.jsonl', '')
    const w = new SessionWriter(rnd, sessionId, Date.UTC(2026, 6, 1) + i, `x${seed}-${added}-`)
    const turn = w.turn()
    appendFileSync(file, turn.join('\n') + '\n')
    added += turn.length
  }
  return added
}
