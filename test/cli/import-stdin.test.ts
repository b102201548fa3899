import { spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { generateLongSession } from '../../bench/corpus/claude-code'
import { FIXTURES, SIDECHAIN } from '../helpers/transcript-facts'
import { tempDir } from '../helpers/temp'

// `swarmscope import -` reads what is piped in (a transcript from another machine, an OTLP
// request, our own NDJSON), as it reads a file of the same content. Before, `-` was taken for a
// file called "-" in the current folder ("cannot read: no such file or folder").

const BIN = new URL('../../bin/swarmscope.mjs', import.meta.url).pathname
const OTLP_TRACE = `${FIXTURES}otlp/opentelemetry-proto_examples_trace.json`

function cli(args: string[], opts: { input?: string | Buffer; tmp?: string } = {}) {
  const env = { ...process.env, ...(opts.tmp ? { TMPDIR: opts.tmp } : {}) }
  const r = spawnSync(process.execPath, [BIN, ...args], { input: opts.input ?? '', encoding: 'utf8', env, timeout: 60_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

type Run = { id: string; spans: number; llmCalls: number; toolCalls: number; inputTokens: number; outputTokens: number; cacheReadTokens: number; costUsd: number; agents: number }
const figures = (r: Run) => ({ id: r.id, spans: r.spans, llmCalls: r.llmCalls, toolCalls: r.toolCalls, agents: r.agents, inputTokens: r.inputTokens, outputTokens: r.outputTokens, cacheReadTokens: r.cacheReadTokens, costUsd: r.costUsd })

describe('swarmscope import - (standard input)', () => {
  it('a piped transcript, OTLP request and NDJSON export give the runs their files give, and nothing is remembered or left behind', () => {
    const dir = tempDir()
    const tmp = join(dir, 'tmp')
    mkdirSync(tmp)
    const fromFiles = join(dir, 'files.db')
    const fromPipe = join(dir, 'pipe.db')
    const byFile = JSON.parse(cli(['--db', fromFiles, 'import', SIDECHAIN, OTLP_TRACE, '--json']).stdout) as { runs: Run[] }
    expect(byFile.runs.length).toBe(2)

    for (const file of [SIDECHAIN, OTLP_TRACE]) {
      const r = cli(['--db', fromPipe, 'import', '-', '--json'], { input: readFileSync(file), tmp })
      expect(r.code).toBe(0)
      const out = JSON.parse(r.stdout) as { runs: Run[]; skipped: unknown[] }
      expect(out.skipped).toEqual([])
      expect(out.runs.map(figures)).toEqual(byFile.runs.filter((x) => out.runs.some((o) => o.id === x.id)).map(figures))
    }
    // Our own NDJSON export of the transcript's run, piped into a third store: the same numbers again.
    const ndjson = cli(['--db', fromFiles, 'export', byFile.runs[0].id]).stdout
    const third = join(dir, 'third.db')
    const again = JSON.parse(cli(['--db', third, 'import', '-', '--json'], { input: ndjson, tmp }).stdout) as { runs: Run[] }
    expect(again.runs.map(figures)).toEqual([figures(byFile.runs[0])])

    // The scratch copy is not remembered (no later import finds it there) and is gone.
    const db = new Database(fromPipe, { readonly: true })
    expect(db.prepare('SELECT COUNT(*) FROM imported_files').pluck().get()).toBe(0)
    db.close()
    expect(readdirSync(tmp)).toEqual([])
  })

  it('a transcript piped again after it grew gives the numbers of one import of the whole file', () => {
    const dir = tempDir()
    const { file } = generateLongSession(join(dir, 'gen'), 2 * 1024 * 1024)
    const text = readFileSync(file, 'utf8')
    const half = text.slice(0, text.indexOf('\n', text.length / 2) + 1)
    const piped = join(dir, 'piped.db')
    expect(cli(['--db', piped, 'import', '-'], { input: half }).code).toBe(0)
    const grown = JSON.parse(cli(['--db', piped, 'import', '-', '--json'], { input: text }).stdout) as { runs: Run[] }
    const whole = JSON.parse(cli(['--db', join(dir, 'file.db'), 'import', file, '--json']).stdout) as { runs: Run[] }
    expect(grown.runs.map(figures)).toEqual(whole.runs.map(figures))
    expect(whole.runs[0].llmCalls).toBeGreaterThan(100)
  })

  it('what cannot be read is named "(stdin)" with its line; nothing piped, or - named twice, is refused', () => {
    const dir = tempDir()
    const db = join(dir, 's.db')
    const lines = readFileSync(SIDECHAIN, 'utf8').split('\n').filter(Boolean)
    const piped = [...lines.slice(0, 3), '{"type": "user", "broken', ...lines.slice(3)].join('\n') + '\n'
    const r = cli(['--db', db, 'import', '-'], { input: piped })
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('skipped (stdin):4: not valid JSON')
    expect(r.stdout).toContain('1 run(s) from 1 file(s); 1 skipped')
    const json = JSON.parse(cli(['--db', db, 'import', '-', '--json'], { input: piped }).stdout) as { skipped: { file: string; line: number }[] }
    expect(json.skipped).toEqual([{ file: '(stdin)', line: 4, reason: expect.stringContaining('not valid JSON') }])

    const empty = cli(['--db', db, 'import', '-'])
    expect(empty.code).toBe(1)
    expect(empty.stderr).toContain('skipped (stdin): empty file')
    const twice = cli(['--db', db, 'import', '-', '-'])
    expect(twice.code).toBe(2)
    expect(twice.stderr).toContain('- (standard input) is named twice')
  })
})
