import { FifoMap } from '../fifo-map'
import { LineError, type ContentPart, type RecordSink, type SpanEnd, type SpanRecord } from '../records'
import { linkSubagent, readToolResults, readToolUses, textOf } from './blocks'
import { checkLine } from './check-line'
import { isoMs, str } from './fields'
import { llmSpan, runRecord } from './records-of'
import { isSubagent, MAIN_AGENT, RECENT_LIMIT, resumeLines, UNRESOLVED_SIDECHAIN, type ResumeState } from './resume-state'

/**
 * Turns Claude Code transcript lines into runs, agents, spans and events.
 *
 * One run per session id. The main conversation is agent `main`; each subagent (Task/Agent
 * tool) is an agent whose parent span is the tool call that started it. Every LLM response is
 * one span keyed by message.id + requestId: Claude Code writes a response once per content
 * block, each line repeating the usage, so the first line's usage is kept (as ccusage does).
 * Under the default content policy ('none') no prompt, response or tool text is stored: only
 * sizes and structured metadata. Under 'redacted' and 'full' the prompt text, the assistant's
 * text blocks, each tool call's input (JSON) and its result text go to `sink.content` (the
 * writer redacts them under 'redacted'). The cwd is reduced to its last folder, home folder redacted.
 */

interface FileContext {
  file: string
  /** From the file's place on disk: `<session>.jsonl` or `<session>/subagents/agent-<id>.jsonl`. */
  sessionIdFromPath: string | null
  agentIdFromPath: string | null
}

/** Line types that carry no timing or usage; known and deliberately ignored. */
const SUBAGENT_TOOLS = new Set(['Task', 'Agent'])
const IGNORED_TYPES = new Set(['summary', 'file-history-snapshot', 'queue-operation', 'custom-title', 'tag', 'progress'])

export class ClaudeCodeParser {
  private readonly recent = new FifoMap<string, [number, string]>(RECENT_LIMIT)
  private readonly runsSeen = new Set<string>()
  private readonly agentsSeen = new Set<string>()
  /** First and last line time per agent, written as its agent span when the file ends. */
  private readonly agentBounds = new Map<string, { runId: string; agentId: string; start: number; end: number }>()
  /** Run → its only named subagent (null: several), as of when agentsSeen had onlyOfSeen keys. */
  private readonly onlyOf = new Map<string, string | null>()
  private onlyOfSeen = -1
  /**
   * Tool calls seen in this file (the last RECENT_LIMIT: a huge session's calls would otherwise
   * all be held); a result for any other call may belong to an earlier import. A result for a
   * call forgotten here waits in pendingResults and ends the stored call when the file ends.
   */
  private readonly toolUsesSeen = new FifoMap<string, true>(RECENT_LIMIT)
  private pendingResults: SpanEnd[] = []
  /**
   * The run and agent of the line before: consecutive lines almost always share them, and a
   * reused string keeps its hash, where building `cc-${sessionId}` and `${runId}/${agentId}` for
   * every line and hashing them again cost ~5 % of the parse worker's time.
   */
  private lastSession = ''
  private lastRunId = ''
  private lastAgent: { runId: string; agentId: string; bounds: { start: number; end: number } } | null = null
  private openLlm: SpanRecord | null = null
  private readonly openToolSpans = new Map<string, SpanRecord>()
  /** Whether text is kept (content policy 'redacted' or 'full'); under 'none' no text is even gathered. */
  private readonly keepText: boolean
  /** Read on from an earlier import's offset (the resume state holds its last lines). */
  private readonly resumed: boolean

  constructor(
    private readonly sink: RecordSink,
    private readonly ctx: FileContext,
    resume: ResumeState = {},
  ) {
    for (const [uuid, ts, agent] of resume.recent ?? []) this.recent.set(uuid, [ts, agent])
    for (const key of resume.subagents ?? []) this.agentsSeen.add(key)
    for (const runId of resume.standIn ?? []) this.agentsSeen.add(`${runId}/${UNRESOLVED_SIDECHAIN}`)
    this.resumed = (resume.recent?.length ?? 0) > 0
    this.keepText = sink.content !== undefined && (sink.contentPolicy === 'redacted' || sink.contentPolicy === 'full')
  }

  private keep(runId: string, spanId: string, part: ContentPart, text: string, ts: number, seq = ''): void {
    if (text !== '') this.sink.content?.({ runId, spanId, part, text, ts, seq })
  }

  /** Parses one line; throws LineError for a line that is not a usable transcript record. */
  line(text: string, lineNo: number): void {
    if (text.trim() === '') return
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (e) {
      throw new LineError(`not valid JSON (${(e as Error).message})`)
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new LineError('expected a JSON object')
    const rec = json as Record<string, unknown>
    const type = rec.type
    if (typeof type !== 'string') throw new LineError('record has no "type"')
    if (IGNORED_TYPES.has(type)) return
    if (type !== 'user' && type !== 'assistant' && type !== 'system') return
    checkLine(rec)
    this.record(rec, lineNo)
  }

  private record(rec: Record<string, unknown>, lineNo: number): void {
    const ts = isoMs(rec.timestamp, 'timestamp')
    if (ts === null) return // lines without a time (rare meta lines) cannot be placed on a timeline
    const sessionId = str(rec.sessionId) ?? this.ctx.sessionIdFromPath
    if (!sessionId) throw new LineError('no sessionId on the line or in the file name')
    if (sessionId !== this.lastSession) {
      this.lastSession = sessionId
      this.lastRunId = `cc-${sessionId}`
    }
    const runId = this.lastRunId
    const agentId = this.agentOf(rec)
    if (rec.type === 'user') this.checkResultTimes(rec, ts)
    const uuid = str(rec.uuid)
    if (uuid) this.remember(uuid, ts, agentId)
    this.ensureRun(runId, sessionId, rec)
    this.ensureAgent(runId, agentId, ts)

    const message = (rec.message ?? {}) as Record<string, unknown>
    if (rec.type === 'assistant') this.assistant(runId, agentId, rec, message, ts, uuid ?? `line${lineNo}`)
    else if (rec.type === 'user') this.user(runId, agentId, rec, message, ts, uuid ?? `line${lineNo}`)
    else if (rec.type === 'system' && (rec.level === 'error' || rec.subtype === 'api_error')) {
      this.sink.event({ runId, id: `sys:${uuid ?? lineNo}`, ts, name: 'system.error', severity: 'error', agentId, attrs: { subtype: str(rec.subtype) } })
    }
  }

  private assistant(runId: string, agentId: string, rec: Record<string, unknown>, message: Record<string, unknown>, ts: number, uuid: string): void {
    const model = str(message.model)
    if (rec.isApiErrorMessage === true || model === '<synthetic>') {
      // Claude Code writes API failures as synthetic assistant messages: an error, not an LLM call.
      this.sink.event({ runId, id: `apierr:${uuid}`, ts, name: 'llm.api_error', severity: 'error', agentId })
      return
    }
    const msgId = str(message.id)
    const requestId = str(rec.requestId)
    const spanId = msgId ? `llm:${msgId}:${requestId ?? ''}` : `llm:${uuid}`
    if (this.keepText && Array.isArray(message.content)) {
      // One response is written as one line per content block: each text block is one piece of the span's output.
      message.content.forEach((b: unknown, i) => {
        const block = b as Record<string, unknown> | null
        if (block?.type === 'text' && typeof block.text === 'string') this.keep(runId, spanId, 'output', block.text, ts, `${uuid}:${i}`)
      })
    }
    // The other content-block lines of the response being read: widen its end, add its tool calls.
    if (this.openLlm?.id === spanId) {
      this.openLlm.endMs = Math.max(this.openLlm.endMs ?? ts, ts)
      this.openTools(runId, agentId, spanId, message, ts)
      return
    }
    this.flushLlm()
    // The call started when the line it answers was written; a parent stamped later than the
    // response (clock skew) gives no start, and the call is placed at its response.
    const parentAt = this.parentTs(rec)
    const parentTs = parentAt !== null && parentAt <= ts ? parentAt : null
    this.openLlm = llmSpan(runId, agentId, spanId, rec, message, parentTs ?? ts, ts)
    this.openTools(runId, agentId, spanId, message, ts)
  }

  /** Tool calls wait in memory for their result, so each becomes one complete row. */
  private openTools(runId: string, agentId: string, llmSpanId: string, message: Record<string, unknown>, ts: number): void {
    for (const use of readToolUses(message.content)) {
      if (this.toolUsesSeen.has(use.id)) continue
      this.toolUsesSeen.set(use.id, true)
      if (this.keepText) this.keep(runId, `tool:${use.id}`, 'input', use.inputJson, ts)
      this.openToolSpans.set(use.id, {
        runId, id: `tool:${use.id}`, parentId: llmSpanId, agentId, kind: 'tool', name: use.name, startMs: ts, status: 'unset',
        attrs: { 'gen_ai.tool.call.id': use.id, inputBytes: use.inputBytes, ...(use.subagentType ? { subagentType: use.subagentType } : {}) },
      })
    }
  }

  /** Writes the response being read: the lines of one response are consecutive in a transcript. */
  private flushLlm(): void {
    if (this.openLlm) this.sink.span(this.openLlm)
    this.openLlm = null
  }

  private user(runId: string, agentId: string, rec: Record<string, unknown>, message: Record<string, unknown>, ts: number, uuid: string): void {
    this.flushLlm()
    // Claude Code's subagent metadata is only in Task/Agent results: skip the text scan for the rest.
    const results = readToolResults(message.content, (id) => {
      const name = this.openToolSpans.get(id)?.name
      return name === undefined || SUBAGENT_TOOLS.has(name)
    })
    if (results.length === 0) {
      // A prompt: recorded by its size (and its text only under the redacted/full content policies).
      const content = message.content
      const size = typeof content === 'string' ? content.length : JSON.stringify(content ?? '').length
      this.sink.event({ runId, id: `prompt:${uuid}`, ts, name: 'user.prompt', agentId, attrs: { bytes: size, meta: rec.isMeta === true || undefined } })
      if (this.keepText) this.keep(runId, `prompt:${uuid}`, 'prompt', textOf(content), ts)
      return
    }
    const toolUseResult = rec.toolUseResult as Record<string, unknown> | undefined
    for (const r of results) {
      const toolSpanId = `tool:${r.toolUseId}`
      if (this.keepText) this.keep(runId, toolSpanId, 'output', r.text, ts)
      const end: SpanEnd = {
        runId, id: toolSpanId, endMs: ts, status: r.isError ? 'error' : 'ok',
        error: r.isError ? 'tool returned an error' : null, attrs: { outputBytes: r.outputBytes },
      }
      const open = this.openToolSpans.get(r.toolUseId)
      if (open) {
        this.openToolSpans.delete(r.toolUseId)
        // Completed in place (the call is done with): spreading a record into a new one cost a tenth of the parse.
        open.endMs = end.endMs
        open.status = end.status
        open.error = end.error
        open.attrs = Object.assign(open.attrs ?? {}, end.attrs)
        this.sink.span(open)
      } else if (this.toolUsesSeen.has(r.toolUseId)) this.sink.endSpan(end)
      // Lines are not always in time order (sidechains interleave): a result may precede its call.
      else this.pendingResults.push(end)
      // The subagent a Task/Agent call ran: on toolUseResult (2.1.x) or on the line itself (2.0.x).
      const subagent = str(toolUseResult?.agentId) ?? (rec.isSidechain ? null : str(rec.agentId)) ?? r.agentIdFromText
      if (subagent && results.length === 1) {
        linkSubagent(this.sink, runId, subagent, agentId, toolSpanId, r.reportedUsage)
        this.agentsSeen.add(`${runId}/${subagent}`)
      }
    }
  }

  /**
   * A result stamped before its call would make a tool span of negative duration: the line is
   * refused (before anything of it is used) and the call stays open-ended, as one whose result
   * never came. Calls from an earlier import are not in memory and are not checked.
   */
  private checkResultTimes(rec: Record<string, unknown>, ts: number): void {
    const content = (rec.message as Record<string, unknown> | undefined)?.content
    if (!Array.isArray(content)) return
    for (const b of content as Record<string, unknown>[]) {
      if (b?.type !== 'tool_result') continue
      const call = this.openToolSpans.get(b.tool_use_id as string)
      if (call?.startMs != null && call.startMs > ts) {
        throw new LineError(`tool_result for ${call.id.slice(5)} at ${new Date(ts).toISOString()} is before its call at ${new Date(call.startMs).toISOString()}`)
      }
    }
  }

  /**
   * A sidechain line that names no agent and whose parent names none either (Claude Code 1.x
   * wrote every subagent line so) goes to the `sidechain` stand-in, and so do the lines after it
   * that answer it. Whose they are is known only at the end of the file (see finish).
   */
  private agentOf(rec: Record<string, unknown>): string {
    if (rec.isSidechain !== true) return MAIN_AGENT
    const explicit = str(rec.agentId) ?? this.ctx.agentIdFromPath
    if (explicit) return explicit
    const parent = str(rec.parentUuid)
    const inherited = parent ? this.recent.get(parent)?.[1] : undefined
    return inherited ?? UNRESOLVED_SIDECHAIN
  }

  private parentTs(rec: Record<string, unknown>): number | null {
    const parent = str(rec.parentUuid)
    return parent ? (this.recent.get(parent)?.[0] ?? null) : null
  }

  private remember(uuid: string, ts: number, agent: string): void {
    this.recent.set(uuid, [ts, agent])
  }

  private ensureRun(runId: string, sessionId: string, rec: Record<string, unknown>): void {
    if (this.runsSeen.has(runId)) return
    this.runsSeen.add(runId)
    this.sink.run(runRecord(runId, sessionId, rec, this.resumed))
  }

  private ensureAgent(runId: string, agentId: string, ts: number): void {
    const last = this.lastAgent
    if (last !== null && last.runId === runId && last.agentId === agentId) {
      last.bounds.start = Math.min(last.bounds.start, ts)
      last.bounds.end = Math.max(last.bounds.end, ts)
      return
    }
    const key = `${runId}/${agentId}`
    const bounds = this.agentBounds.get(key)
    if (bounds) {
      bounds.start = Math.min(bounds.start, ts)
      bounds.end = Math.max(bounds.end, ts)
    } else this.agentBounds.set(key, { runId, agentId, start: ts, end: ts })
    this.lastAgent = { runId, agentId, bounds: this.agentBounds.get(key)! }
    if (this.agentsSeen.has(key)) return
    this.agentsSeen.add(key)
    this.sink.agent({ runId, id: agentId, name: agentId === MAIN_AGENT ? 'main' : null, type: agentId === MAIN_AGENT ? 'main' : null })
  }

  /**
   * Ends the file: sidechain lines that no agentId reached belong to the session's only
   * subagent when there is exactly one, otherwise to a `sidechain` agent (documented rule).
   * They were written under the stand-in as they came, and are given to that subagent here.
   * They used to wait for this point instead, parsed twice and spilled to a temporary file past
   * 1 MB (a subagent's whole text, on disk under any content policy): importing one 1 GB
   * transcript written so took 12.5-16 s, against ~8 s for the same lines naming their agent,
   * the writing thread idle while the lines waited.
   */
  finish(): ResumeState {
    this.flushLlm()
    // Calls still waiting for a result (the session is running, or it was cut off) stay open-ended.
    for (const open of this.openToolSpans.values()) this.sink.span(open)
    this.openToolSpans.clear()
    // Results whose call is neither in this file nor stored from an earlier import are dropped:
    // a tool span needs the call's name and start.
    for (const end of this.pendingResults) this.sink.endSpan(end)
    this.pendingResults = []
    // Every span of the file is written by now, so the move takes them all.
    for (const runId of this.runsSeen) {
      const only = this.agentsSeen.has(`${runId}/${UNRESOLVED_SIDECHAIN}`) ? this.onlySubagent(runId) : null
      if (only !== null) this.giveSidechain(runId, only)
    }
    // The upsert widens an agent span already stored by an earlier import of this file or another.
    for (const { runId, agentId, start, end } of this.agentBounds.values()) {
      this.sink.span({ runId, id: `agent:${agentId}`, agentId, kind: 'agent', name: agentId, startMs: start, endMs: end, status: 'ok' })
    }
    this.agentBounds.clear()
    this.lastAgent = null
    const subagents = [...this.agentsSeen].filter(isSubagent)
    // Kept from the resume state too: a run whose stand-in holds lines stays so when this import read none of it.
    const standIn = [...this.agentsSeen].filter((k) => k.endsWith(`/${UNRESOLVED_SIDECHAIN}`)).map((k) => k.slice(0, -UNRESOLVED_SIDECHAIN.length - 1))
    return { recent: resumeLines(this.recent), ...(subagents.length > 0 ? { subagents } : {}), ...(standIn.length > 0 ? { standIn } : {}) }
  }

  /**
   * The run's only named subagent, if it has exactly one. Asked for every waiting line, and the
   * subagents change only when a line names a new one: listing them for each line made a 1 GB
   * transcript with ~650 subagents and 330,000 waiting lines take 81-87 s to import, 13-20 s now.
   */
  private onlySubagent(runId: string): string | null {
    if (this.onlyOfSeen !== this.agentsSeen.size) {
      this.onlyOf.clear()
      this.onlyOfSeen = this.agentsSeen.size
    }
    let only = this.onlyOf.get(runId)
    if (only === undefined) {
      const subagents = [...this.agentsSeen].filter((k) => isSubagent(k) && k.startsWith(`${runId}/`))
      only = subagents.length === 1 ? subagents[0].slice(runId.length + 1) : null
      this.onlyOf.set(runId, only)
    }
    return only
  }

  /**
   * Gives what the stand-in holds in this run (stored by this import or an earlier one) to its
   * only subagent: in the store, and in the agent bounds and remembered lines still to be used.
   */
  private giveSidechain(runId: string, only: string): void {
    const standIn = `${runId}/${UNRESOLVED_SIDECHAIN}`
    this.sink.moveAgent({ runId, from: UNRESOLVED_SIDECHAIN, to: only })
    this.agentsSeen.delete(standIn)
    const from = this.agentBounds.get(standIn)
    if (from) {
      this.agentBounds.delete(standIn)
      const to = this.agentBounds.get(`${runId}/${only}`)
      if (to) {
        to.start = Math.min(to.start, from.start)
        to.end = Math.max(to.end, from.end)
      } else this.agentBounds.set(`${runId}/${only}`, { runId, agentId: only, start: from.start, end: from.end })
    }
    // Remembered lines name no run: where the file fed one run only (a transcript does), they are all its own.
    if (this.runsSeen.size === 1) for (const [, entry] of this.recent.entries()) if (entry[1] === UNRESOLVED_SIDECHAIN) entry[1] = only
  }
}
