import { appendFileSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importPaths } from '../../src/core/ingest/importer'
import { openStore } from '../../src/core/store/open'
import { sessionFacts, SIDECHAIN } from '../helpers/transcript-facts'
import { tempDb, tempDir } from '../helpers/temp'

// Old transcripts write a subagent's lines into the session's own file with no agentId: they
// are stored under a `sidechain` stand-in as they come, and given to their subagent at the end
// of the file, where the rule that names it applies (ClaudeCodeParser.finish). What is stored
// must be what the same lines naming their agent store.

type Line = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const SESSION = '88a8d761-7b9a-4bf1-a8ca-c1febe6bf358'
const SUBAGENT = 'e1c84ba5'

/**
 * The real fixture's session with its sidechain (two lines of one response naming no agent,
 * then a tool result naming it) repeated `copies` times, each copy chained to the one before
 * and with its own ids. Some text is not ASCII, so lines of several bytes per character cross
 * the 1 MB chunks a file is streamed in, and one line spans several. `explicit` names the agent on every sidechain line (as
 * newer Claude Code does), `anonymous` on none, `late` only after them.
 */
function oldSession(copies: number, naming: 'old' | 'late' | 'explicit' | 'anonymous'): string {
  const [main1, main2, side1, side2, side3, main3] = readFileSync(SIDECHAIN, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line)
  // 'late': the Task call's result, which names the subagent, comes after the subagent's lines (as it does in a real session).
  const out: Line[] = naming === 'late' ? [main1] : [main1, main2]
  let parent: string | null = null
  for (let i = 0; i < copies; i++) {
    const id = (s: string) => `${s}-${i}`
    const [a, b, c] = [side1, side2, side3].map((l) => structuredClone(l))
    const at = (l: Line, ms: number) => (l.timestamp = new Date(Date.parse(side1.timestamp) + i * 1000 + ms).toISOString())
    a.uuid = id('a')
    a.parentUuid = parent
    b.uuid = id('b')
    b.parentUuid = a.uuid
    c.uuid = id('c')
    c.parentUuid = b.uuid
    parent = c.uuid
    at(a, 0)
    at(b, 100)
    at(c, 400)
    for (const l of [a, b]) {
      l.message.id = id(l.message.id)
      l.requestId = id(l.requestId)
      l.message.usage = { ...l.message.usage, output_tokens: 10 + (i % 7) }
    }
    a.message.content[0].text = `${a.message.content[0].text} — copie n° ${i}, 子エージェント 🚀`
    // One line longer than the chunks the temporary file is read back in (1 MB).
    if (i === copies / 2) a.message.content[0].text += '🚀'.repeat(700_000)
    const tool = b.message.content.find((x: Line) => x.type === 'tool_use')
    tool.id = id(tool.id)
    c.message.content[0].tool_use_id = tool.id
    for (const l of [a, b, c]) {
      delete l.agentId
      if (naming === 'explicit') l.agentId = SUBAGENT
    }
    out.push(a, b, c)
  }
  if (naming === 'late') out.push(main2)
  out.push(main3)
  if (naming === 'anonymous') delete main2.agentId
  const dir = tempDir()
  const file = join(dir, `${SESSION}.jsonl`)
  writeFileSync(file, out.map((l) => JSON.stringify(l)).join('\n') + '\n')
  return file
}

/** What the store holds of the session's runs, agents, spans and events. */
async function importAndRead(file: string, worker: 'always' | 'never', db = tempDb()) {
  const store = openStore({ path: db })
  /** Temporary files this process held open while it imported (Linux shows them under /proc). */
  const spilled = new Set<string>()
  const onProgress = () => {
    if (process.platform !== 'linux') return
    for (const fd of readdirSync('/proc/self/fd')) {
      const target = readlinkQuietly(`/proc/self/fd/${fd}`)
      if (target?.includes('swarmscope-sidechain-')) spilled.add(target)
    }
  }
  try {
    const r = await importPaths(store, { paths: [file], worker, onProgress })
    const q = (sql: string) => store.read.prepare(sql).all()
    return {
      skipped: r.skipped,
      spilled: [...spilled],
      runs: q('SELECT id, started_at, ended_at, agents, spans, llm_calls, tool_calls, errors, input_tokens, output_tokens, cache_read_tokens FROM runs'),
      agents: q('SELECT run_id, id, name, type, parent_agent_id, parent_span_id FROM agents ORDER BY id'),
      spans: q('SELECT * FROM spans ORDER BY id'),
      events: q('SELECT * FROM events ORDER BY id'),
      llmCallsByAgent: Object.fromEntries(q("SELECT agent_id, COUNT(*) n FROM spans WHERE kind = 'llm' GROUP BY agent_id").map((r) => [(r as Line).agent_id, (r as Line).n])),
    }
  } finally {
    store.close()
  }
}

function readlinkQuietly(path: string): string | null {
  try {
    return readlinkSync(path)
  } catch {
    return null // closed meanwhile
  }
}

const leftovers = () => readdirSync(tmpdir()).filter((f) => f.startsWith('swarmscope-sidechain-'))

describe('sidechain lines of old transcripts that name no agent', () => {
  for (const worker of ['never', 'always'] as const) {
    it(`store what the same lines naming their agent store, and no line waits in a temporary file (${worker === 'always' ? 'parse worker' : 'in this thread'})`, async () => {
      const copies = 2000
      const old = oldSession(copies, 'old')
      const waiting = readFileSync(old, 'utf8').split('\n').filter((l) => l.includes('"isSidechain":true') && !l.includes('"agentId"'))
      // Megabytes of lines whose agent is named only at the end of the file (they once waited on disk past 1 MB).
      expect(waiting.join('').length).toBeGreaterThan(3 * 1024 * 1024)
      const before = leftovers()

      const got = await importAndRead(old, worker)
      const expected = await importAndRead(oldSession(copies, 'explicit'), worker)
      expect(got.skipped).toEqual([])
      expect(got.spilled).toEqual([])
      expect(got).toEqual(expected)

      // And the counts taken from the file itself: one call per response, every sidechain call the subagent's.
      const facts = sessionFacts([old]).get(SESSION)!
      expect(got.llmCallsByAgent).toEqual(facts.perAgentLlmCalls)
      expect(got.llmCallsByAgent[SUBAGENT]).toBe(copies)
      expect(got.runs).toMatchObject([{ llm_calls: facts.llmCalls, tool_calls: facts.toolCalls, output_tokens: facts.outputTokens, input_tokens: facts.inputTokens }])
      expect(leftovers()).toEqual(before)
    }, 60_000)

    it(`named only after an earlier import stopped: what that import stored under the stand-in is the subagent's too, as in one import of the whole file (${worker === 'always' ? 'parse worker' : 'in this thread'})`, async () => {
      const whole = oldSession(300, 'late')
      const lines = readFileSync(whole, 'utf8').split('\n').filter(Boolean)
      const expected = await importAndRead(whole, worker)
      // Cut inside the sidechain, and just before the result that names the subagent.
      for (const cut of [200, lines.length - 2]) {
        const file = join(tempDir(), `${SESSION}.jsonl`)
        writeFileSync(file, lines.slice(0, cut).join('\n') + '\n')
        const db = tempDb()
        const first = await importAndRead(file, worker, db)
        expect(first.agents.map((a) => (a as Line).id)).toEqual(['main', 'sidechain'])
        appendFileSync(file, lines.slice(cut).join('\n') + '\n')
        const got = await importAndRead(file, worker, db)
        expect(got.agents.map((a) => (a as Line).id)).toEqual([SUBAGENT, 'main'])
        expect(got).toEqual(expected)
      }
    }, 60_000)
  }

  it('with no subagent named anywhere, belong to one `sidechain` agent, however many', async () => {
    const file = oldSession(2000, 'anonymous')
    const got = await importAndRead(file, 'never')
    const facts = sessionFacts([file]).get(SESSION)!
    expect(facts.perAgentLlmCalls).toEqual({ main: 2, sidechain: 2000 })
    expect(got.llmCallsByAgent).toEqual(facts.perAgentLlmCalls)
    expect(got.agents.map((a) => (a as Line).id)).toEqual(['main', 'sidechain'])
  }, 60_000)
})
