import { appendFileSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { importPaths } from '../../src/core/ingest/importer'
import { openStore } from '../../src/core/store/open'
import { SHOWCASE_MAIN } from '../helpers/transcript-facts'
import { tempDir } from '../helpers/temp'

// Two writers on one store (two processes: the app tailing a transcript, an import in a
// terminal). An import walks the files, then waits for the write lock; meanwhile the other
// writer may import the same file further than the size this one saw. Taken for a file that
// shrank (rewritten), it emptied the session and read it again only up to the size it had
// walked: the lines in between were gone from the store, and the tail, which had seen them
// imported, never read them again.

const rowsOf = (path: string) => {
  const db = new Database(path, { readonly: true })
  const out = {
    spans: db.prepare('SELECT id, kind, start_ms, end_ms, input_tokens, output_tokens FROM spans ORDER BY run_id, id').raw().all(),
    runs: db.prepare('SELECT id, spans, llm_calls, tool_calls, input_tokens, output_tokens FROM runs ORDER BY id').raw().all(),
  }
  db.close()
  return out
}

describe('two writers importing one growing transcript', () => {
  it('an import that waited while the other imported the file further reads on from there, and the store ends as a fresh import', async () => {
    const dir = tempDir()
    const file = join(dir, 'projects', 'p', '55550000-0000-4000-8000-000000000001.jsonl')
    const lines = readFileSync(SHOWCASE_MAIN, 'utf8').split('\n').filter(Boolean).map((l) => l + '\n')
    const third = Math.ceil(lines.length / 3)
    mkdirSync(join(dir, 'projects', 'p'), { recursive: true })
    appendFileSync(file, lines.slice(0, third).join(''))
    const path = join(dir, 'shared.db')
    const tail = openStore({ path })
    const terminal = openStore({ path })
    try {
      await importPaths(tail, { paths: [file] })
      // The file grows; another writer holds the store while the terminal's import walks it.
      appendFileSync(file, lines.slice(third, 2 * third).join(''))
      const holder = new Database(path)
      holder.exec('BEGIN IMMEDIATE')
      const waiting = importPaths(terminal, { paths: [file] })
      await new Promise((r) => setTimeout(r, 100))
      // More lines come, and the tail imports them first: its attempt right after the holder's
      // COMMIT is made in the same tick, before the waiting import's timer fires.
      appendFileSync(file, lines.slice(2 * third).join(''))
      holder.exec('COMMIT')
      holder.close()
      await importPaths(tail, { paths: [file] })
      await waiting
    } finally {
      tail.close()
      terminal.close()
    }
    const check = new Database(path, { readonly: true })
    expect(check.prepare('SELECT offset FROM imported_files').pluck().get()).toBe(statSync(file).size)
    check.close()
    const fresh = openStore({ path: join(dir, 'fresh.db') })
    await importPaths(fresh, { paths: [file] })
    fresh.close()
    expect(rowsOf(path)).toEqual(rowsOf(join(dir, 'fresh.db')))
  })
})
