import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { createCore } from '../../src/core'
import { SIDECHAIN } from '../helpers/transcript-facts'
import { tempDb, tempDir } from '../helpers/temp'
import { FIXTURES, LOCAL_FIXTURES } from './ingest-helpers'

// Windows tools start text files with a byte order mark: PowerShell's `Set-Content -Encoding
// UTF8` a UTF-8 one, Windows PowerShell 5.1's `>` and `Out-File` UTF-16. A file saved that way
// must import as the same file without it (UTF-8), decoded (a UTF-16 JSON document), or be
// refused with how to convert it (a UTF-16 file read line by line).

const BOM = Buffer.from([0xef, 0xbb, 0xbf])
const NDJSON_EXAMPLE = readFileSync(new URL('../../docs/formats/ndjson.md', import.meta.url), 'utf8').split('```ndjson\n')[1].split('```')[0]

/** Everything stored about runs, as rows (no clock columns). */
function contents(db: string) {
  const d = new Database(db, { readonly: true })
  const q = (sql: string) => d.prepare(sql).raw().all()
  const out = {
    runs: q('SELECT id, name, source, format, started_at, ended_at, agents, spans, llm_calls, tool_calls, errors, events, input_tokens, output_tokens FROM runs ORDER BY id'),
    agents: q('SELECT * FROM agents ORDER BY run_id, id'),
    spans: q('SELECT * FROM spans ORDER BY run_id, id'),
    events: q('SELECT * FROM events ORDER BY run_id, id'),
    metrics: q('SELECT run_id, name, ts, value, labels FROM metric_samples ORDER BY run_id, name, ts, labels'),
  }
  d.close()
  return out
}

async function importInto(path: string) {
  const db = tempDb()
  const core = createCore({ path: db })
  const r = await core.call('import.paths', { paths: [path] })
  core.close()
  if (!r.ok) throw new Error(r.error.message)
  return { skipped: r.data.skipped, stored: contents(db) }
}

/** Imports `path` as it is, then again (into a fresh store) with a UTF-8 byte order mark put before `file`'s first byte. */
async function withAndWithout(path: string, file: string) {
  const plain = await importInto(path)
  writeFileSync(file, Buffer.concat([BOM, readFileSync(file)]))
  const marked = await importInto(path)
  return { plain, marked }
}

describe('a file that starts with a byte order mark', () => {
  const cases: [string, (dir: string) => string][] = [
    ['a Claude Code transcript', (dir) => (cpSync(SIDECHAIN, join(dir, '88a8d761-7b9a-4bf1-a8ca-c1febe6bf358.jsonl')), join(dir, '88a8d761-7b9a-4bf1-a8ca-c1febe6bf358.jsonl'))],
    ['an OTLP request saved as one JSON document', (dir) => (cpSync(join(FIXTURES, 'otlp/opentelemetry-proto_examples_trace.json'), join(dir, 'trace.json')), join(dir, 'trace.json'))],
    ['an OTLP file of one request per line', (dir) => (cpSync(join(LOCAL_FIXTURES, 'otlp-collector-export.jsonl'), join(dir, 'export.jsonl')), join(dir, 'export.jsonl'))],
    ['a Swarmscope NDJSON file', (dir) => (writeFileSync(join(dir, 'run.ndjson'), NDJSON_EXAMPLE), join(dir, 'run.ndjson'))],
    [
      'a claude-flow JSON file',
      (dir) => {
        cpSync(join(FIXTURES, 'claude-flow/v3.43_local-cli-run'), join(dir, 'project'), { recursive: true })
        return join(dir, 'project/.claude-flow/daemon-state.json')
      },
    ],
  ]
  for (const [what, make] of cases) {
    it(`imports as without it: ${what}`, async () => {
      const dir = tempDir()
      const file = make(dir)
      const { plain, marked } = await withAndWithout(what.startsWith('a claude-flow') ? join(dir, 'project') : file, file)
      expect(plain.stored.runs.length).toBeGreaterThan(0)
      expect(plain.stored.spans.length + plain.stored.metrics.length + plain.stored.events.length).toBeGreaterThan(0)
      expect(marked.skipped).toEqual(plain.skipped)
      expect(marked.stored).toEqual(plain.stored)
    }, 30_000)
  }

  for (const order of ['little', 'big'] as const) {
    it(`in UTF-16 (${order}-endian), a JSON document imports as in UTF-8`, async () => {
      const dir = tempDir()
      const file = join(dir, 'trace.json')
      cpSync(join(FIXTURES, 'otlp/opentelemetry-proto_examples_trace.json'), file)
      const plain = await importInto(file)
      const le = Buffer.from(readFileSync(file, 'utf8'), 'utf16le')
      writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), le]))
      if (order === 'big') writeFileSync(file, Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le).swap16()]))
      const utf16 = await importInto(file)
      expect(plain.stored.spans.length).toBeGreaterThan(0)
      expect(utf16.skipped).toEqual([])
      expect(utf16.stored).toEqual(plain.stored)
    })
  }

  it('in UTF-16, a file read line by line (a transcript) is refused with how to convert it', async () => {
    const dir = tempDir()
    const file = join(dir, '88a8d761-7b9a-4bf1-a8ca-c1febe6bf358.jsonl')
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(readFileSync(SIDECHAIN, 'utf8'), 'utf16le')]))
    const { skipped, stored } = await importInto(file)
    expect(stored.runs).toEqual([])
    expect(skipped).toEqual([{ file, line: null, reason: expect.stringMatching(/^UTF-16 text .*Swarmscope reads UTF-8: convert it, e\.g\. `iconv -f UTF-16 -t UTF-8 in > out`/) }])
  })
})
