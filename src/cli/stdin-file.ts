import { randomUUID } from 'node:crypto'
import { createWriteStream, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { UPLOADS_PREFIX } from '../core/ingest/upload-place'
import { scratchDir } from '../core/platform/scratch'

/** How a file read from standard input is named to the user (`swarmscope import -`). */
export const STDIN_NAME = '(stdin)'

/**
 * Standard input, written to a scratch file for `swarmscope import -` (a transcript piped from
 * another machine: `ssh box cat ~/.claude/projects/p/s.jsonl | swarmscope import -`). The import
 * reads files (it sniffs, streams and records offsets), so the stream is copied to disk as it
 * comes, in constant memory. The file sits where the host puts browser uploads: like them, it is
 * imported without being remembered (no later import will find it there; upload-place.ts), and a
 * process killed meanwhile leaves it to the next one to remove (scratch.ts).
 */
export async function stdinToFile(input: NodeJS.ReadableStream = process.stdin): Promise<{ path: string; remove(): void }> {
  const root = scratchDir(UPLOADS_PREFIX)
  const dir = join(root, randomUUID())
  mkdirSync(dir)
  const remove = () => rmSync(root, { recursive: true, force: true })
  // Named .jsonl: the line formats and OTLP JSON are then told apart by their content alone.
  const path = join(dir, 'stdin.jsonl')
  try {
    await pipeline(input, createWriteStream(path))
  } catch (e) {
    remove()
    throw e
  }
  return { path, remove }
}
