import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { importPaths } from '../../src/core/ingest/importer'
import { openStore } from '../../src/core/store/open'
import { median } from './measure'

// What one appended turn costs to import as its session grows: a tail imports every few lines
// of a live session, so that cost must not grow with the session. Measured in this process
// (the importer as the host runs it, the parse worker not involved at this size): the median
// import of one appended turn (an LLM call and its tool result) into a session of `turns` turns,
// reported as a ratio to the same in a short session measured alongside.

const SHORT_TURNS = 500
const APPENDS = 15

function turnLines(sessionId: string, i: number, t: number): string {
  const base = { isSidechain: false, userType: 'external', cwd: '/home/dev/project', sessionId, version: '2.1.20' }
  const usage = { input_tokens: 10, cache_creation_input_tokens: 100, cache_read_input_tokens: 5000, output_tokens: 50 }
  const message = { id: `m${i}`, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [{ type: 'tool_use', id: `tu${i}`, name: 'Bash', input: { command: 'ls' } }], usage }
  return [
    JSON.stringify({ ...base, type: 'assistant', uuid: `a${i}`, timestamp: new Date(t).toISOString(), requestId: `r${i}`, message }),
    JSON.stringify({ ...base, type: 'user', uuid: `u${i}`, timestamp: new Date(t + 500).toISOString(), message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: `tu${i}`, content: 'ok' }] } }),
  ].join('\n') + '\n'
}

/** Median ms to import one appended turn into a session already holding `turns` turns. */
async function appendMs(work: string, turns: number): Promise<number> {
  const dir = join(work, `long-session-${turns}`)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(join(dir, 'p'), { recursive: true })
  const file = join(dir, 'p', `s${turns}.jsonl`)
  const start = Date.UTC(2026, 0, 1)
  let text = ''
  for (let i = 0; i < turns; i++) text += turnLines(`s${turns}`, i, start + i * 1000)
  writeFileSync(file, text)
  const store = openStore({ path: join(dir, 'store.db') })
  try {
    await importPaths(store, { paths: [file] })
    const times: number[] = []
    for (let k = 0; k < APPENDS; k++) {
      appendFileSync(file, turnLines(`s${turns}`, turns + k, start + (turns + k) * 1000))
      const t = performance.now()
      await importPaths(store, { paths: [file] })
      times.push(performance.now() - t)
    }
    return median(times)
  } finally {
    store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function appendToLongSession(work: string, turns = 20_000) {
  // A first round, not counted, so that neither figure includes the importer's code being compiled.
  await appendMs(work, SHORT_TURNS)
  const shortMs = await appendMs(work, SHORT_TURNS)
  const longMs = await appendMs(work, turns)
  return {
    method: `median of ${APPENDS} imports of one appended turn (an LLM call and its tool result), in-process, into a session of ${turns * 2} spans and, as the reference, of ${SHORT_TURNS * 2} spans`,
    shortSessionSpans: SHORT_TURNS * 2, longSessionSpans: turns * 2,
    shortMs: Math.round(shortMs * 100) / 100, longMs: Math.round(longMs * 100) / 100,
    longOverShort: Math.round((longMs / shortMs) * 100) / 100,
  }
}
