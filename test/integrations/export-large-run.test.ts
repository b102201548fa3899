import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createCore } from '../../src/core'
import { tempDb, tempDir } from '../helpers/temp'

const SESSION = '1a4e0000-0000-4000-8000-0000000e4907'

/** A session of `turns` tool calls in compact lines: 2 spans a turn (the LLM call and its tool). */
function transcript(turns: number): string {
  const t0 = Date.UTC(2026, 10, 3)
  const out: string[] = []
  for (let i = 0; i < turns; i++) {
    const ts = (ms: number) => new Date(t0 + i * 2_000 + ms).toISOString()
    out.push(JSON.stringify({ type: 'assistant', uuid: `a${i}`, parentUuid: i ? `r${i - 1}` : null, sessionId: SESSION, timestamp: ts(0), requestId: `q${i}`,
      message: { id: `m${i}`, model: 'claude-sonnet-4-5', role: 'assistant', content: [{ type: 'tool_use', id: `t${i}`, name: 'Bash', input: {} }], usage: { input_tokens: 3, output_tokens: 2 } } }))
    out.push(JSON.stringify({ type: 'user', uuid: `r${i}`, parentUuid: `a${i}`, sessionId: SESSION, timestamp: ts(900),
      message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: `t${i}`, content: 'ok' }] } }))
  }
  return out.join('\n') + '\n'
}

describe('exporting a run larger than a call can take as arguments', () => {
  it('writes NDJSON and CSV of a 160,000-span run, and the NDJSON imports into the same numbers', async () => {
    const turns = 80_000
    const dir = tempDir()
    const file = join(dir, `${SESSION}.jsonl`)
    writeFileSync(file, transcript(turns))
    const core = createCore({ path: tempDb() })
    const copy = createCore({ path: tempDb() })
    try {
      const imported = await core.call('import.paths', { paths: [file] })
      if (!imported.ok) throw new Error(imported.error.message)
      const run = imported.data.runs[0]
      expect(run.spans).toBe(2 * turns + 1) // and the session's agent span

      const ndjson = await core.call('export.runs', { runs: [run.id], format: 'ndjson' })
      if (!ndjson.ok) throw new Error(ndjson.error.message)
      const out = join(dir, 'run.ndjson')
      writeFileSync(out, ndjson.data.content)
      const again = await copy.call('import.paths', { paths: [out] })
      if (!again.ok) throw new Error(again.error.message)
      expect(again.data.skipped).toEqual([])
      const pick = (r: typeof run) => ({ spans: r.spans, llmCalls: r.llmCalls, toolCalls: r.toolCalls, inputTokens: r.inputTokens, outputTokens: r.outputTokens, durationMs: r.durationMs })
      expect(again.data.runs.map(pick)).toEqual([pick(run)])

      const csv = await core.call('export.runs', { runs: [run.id], format: 'csv' })
      if (!csv.ok) throw new Error(csv.error.message)
      expect(csv.data.records).toBe(run.spans)
      expect(csv.data.content.trimEnd().split('\r\n').length).toBe(run.spans + 1) // the header
    } finally {
      core.close()
      copy.close()
    }
  }, 120_000)
})
