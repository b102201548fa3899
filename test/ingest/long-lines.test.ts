import { closeSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createCore } from '../../src/core'
import { MAX_LINE_BYTES } from '../../src/core/ingest/lines'
import { tempDb, tempDir } from '../helpers/temp'

const SESSION = '10a93333-0000-4000-8000-000000000003'

describe('a line longer than any Claude Code writes', () => {
  it('is listed with its number and size and passed over; the lines around it import', async () => {
    const file = join(tempDir(), `${SESSION}.jsonl`)
    const base = { sessionId: SESSION, parentUuid: null }
    const fd = openSync(file, 'w')
    writeSync(fd, JSON.stringify({ ...base, type: 'user', uuid: 'u0', timestamp: '2026-11-01T10:00:00.000Z', message: { role: 'user', content: 'hi' } }) + '\n')
    // A prompt of MAX_LINE_BYTES + 1 MB, written in pieces.
    writeSync(fd, JSON.stringify({ ...base, type: 'user', uuid: 'u1', timestamp: '2026-11-01T10:00:01.000Z', message: { role: 'user', content: '' } }).slice(0, -3))
    const piece = 'z'.repeat(1024 * 1024)
    for (let i = 0; i < MAX_LINE_BYTES / piece.length + 1; i++) writeSync(fd, piece)
    writeSync(fd, '"}}\n')
    writeSync(fd, JSON.stringify({ ...base, type: 'assistant', uuid: 'a1', timestamp: '2026-11-01T10:00:02.000Z', requestId: 'q1', message: { id: 'm1', model: 'claude-sonnet-4-5', role: 'assistant', content: [{ type: 'text', text: 'ok' }], usage: { input_tokens: 4, output_tokens: 2 } } }) + '\n')
    closeSync(fd)
    const core = createCore({ path: tempDb() })
    const r = await core.call('import.paths', { paths: [file] })
    core.close()
    if (!r.ok) throw new Error(r.error.message)
    expect(r.data.skipped).toEqual([{ file, line: 2, reason: `a line of ${MAX_LINE_BYTES / 1024 / 1024 + 1} MB, longer than the ${MAX_LINE_BYTES / 1024 / 1024} MB a line may have: passed over, not read` }])
    expect(r.data.runs.map((run) => [run.llmCalls, run.inputTokens, run.outputTokens])).toEqual([[1, 4, 2]])
  })
})
