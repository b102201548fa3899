import { closeSync, copyFileSync, existsSync, openSync, readSync, rmSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import type { FileImportContext, FormatImporter, SniffInput } from '../formats'
import { LineError, type RecordSink } from '../records'
import { importHiveDb } from './hive-db'
import { importMemoryDb } from './memory-db'
import { LAYOUT_DIRS, projectAt, projectOf, projectSink, type Project } from './project'
import { scratchDir } from '../../platform/scratch'

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1')
/** WAL header magic, big-endian; the low bit is the checksum byte order. */
const WAL_MAGICS = [0x377f0682, 0x377f0683]
/** Table names from claude-flow's schemas; the schema text sits in the first pages of the file. */
const KNOWN_TABLES = /CREATE TABLE (IF NOT EXISTS )?"?(memory_entries|session_logs|memories|swarms)\b/

let nativeBinding: string | undefined
/**
 * better-sqlite3 loads the Node build by default; a shell running another ABI (Electron) passes
 * the same binding it gives the store, or claude-flow databases cannot be opened there.
 */
export function setClaudeFlowSqliteBinding(path: string | undefined): void {
  nativeBinding = path
}

const isSqlite = (head: Buffer) => head.length >= 16 && head.subarray(0, 16).equals(SQLITE_MAGIC)

function readHead(path: string, bytes: number): Buffer {
  const fd = openSync(path, 'r')
  try {
    const buf = Buffer.alloc(bytes)
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0))
  } finally {
    closeSync(fd)
  }
}

function inLayoutDir(path: string): boolean {
  const parts = path.split(/[\\/]/)
  return parts.length >= 2 && LAYOUT_DIRS.has(parts[parts.length - 2])
}

/** A claude-flow database: SQLite header plus a known table, or any SQLite file in `.swarm`/`.hive-mind`. */
function isClaudeFlowDb(path: string, head: Buffer): boolean {
  return isSqlite(head) && (inLayoutDir(path) || KNOWN_TABLES.test(head.toString('latin1')))
}

/**
 * Opens a private copy of the database, never the user's file: even a read-only open of a
 * WAL database can checkpoint or rebuild its -shm, and claude-flow may be writing it now.
 * The -wal is copied because it holds committed rows not yet in the main file (most of the
 * hive.db fixture). The -shm is not: it indexes the WAL as it was and could point past the
 * copy; SQLite rebuilds it from the copied WAL.
 */
export function withSnapshot<T>(dbPath: string, fn: (db: Database.Database) => T): T {
  const dir = scratchDir('swarmscope-cf-')
  try {
    const copy = join(dir, basename(dbPath))
    copyFileSync(dbPath, copy)
    if (existsSync(`${dbPath}-wal`)) copyFileSync(`${dbPath}-wal`, `${copy}-wal`)
    const db = new Database(copy, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) })
    try {
      return fn(db)
    } finally {
      db.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export const tablesOf = (db: Database.Database): Set<string> =>
  new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name))

/**
 * The sink, marking what its writes throw: an error writing to the store (its disk full, say)
 * is the import's failure, not one more database that could not be read. Both come as SQLite
 * errors with a code, and the first was listed as "cannot read SQLite database: database or
 * disk is full" while the import went on.
 */
function markingWrites(sink: RecordSink, marked: WeakSet<object>): RecordSink {
  const guard = <A extends unknown[], R>(f: (...a: A) => R) => (...a: A): R => {
    try {
      return f(...a)
    } catch (e) {
      if (typeof e === 'object' && e !== null) marked.add(e)
      throw e
    }
  }
  return {
    contentPolicy: sink.contentPolicy, run: guard(sink.run), agent: guard(sink.agent), span: guard(sink.span),
    endSpan: guard(sink.endSpan), event: guard(sink.event), metric: guard(sink.metric), moveAgent: guard(sink.moveAgent),
    ...(sink.content ? { content: guard(sink.content) } : {}),
  }
}

function importDb(ctx: FileImportContext, dbPath: string, project: Project): void {
  let imported = false
  const writeErrors = new WeakSet<object>()
  try {
    withSnapshot(dbPath, (db) => {
      const tables = tablesOf(db)
      // Rows have no line: the reason names the database, the table and the row's id instead.
      const report = (reason: string) => ctx.skip(null, `${basename(dbPath)} ${reason}`)
      const sink = projectSink(markingWrites(ctx.sink, writeErrors), project)
      if (tables.has('swarms') && tables.has('agents')) {
        importHiveDb(db, tables, sink, project.runId, report)
        imported = true
      }
      if (tables.has('memory_entries') || tables.has('memories')) {
        importMemoryDb(db, tables, sink, project.runId, report)
        imported = true
      }
    })
  } catch (e) {
    // A corrupt, locked or vanished database is reported and skipped; a bug in our code, or the store failing, is not.
    if (e instanceof LineError || (typeof (e as { code?: unknown }).code === 'string' && !writeErrors.has(e as object))) {
      // A file we may not read is said so, naming it, not by the copy's scratch path.
      const code = (e as { code?: unknown }).code
      const denied = code === 'EACCES' || code === 'EPERM'
      ctx.skip(null, denied ? `cannot read SQLite database ${basename(dbPath)} or its -wal: permission denied` : `cannot read SQLite database: ${(e as Error).message}`)
      return
    }
    throw e
  }
  if (!imported) ctx.skip(null, 'SQLite database without claude-flow tables (memory_entries, memories, swarms/agents)')
}

/**
 * `.swarm/memory.db`, `.hive-mind/hive.db`, `.hive-mind/memory.db` and their `-wal` files.
 * The -wal is sniffed too: while claude-flow runs, new rows land only there and the main
 * file's size and mtime do not change, so an import keyed on the main file alone would miss
 * them. Both paths import the whole database; the upserts make the second pass a no-op.
 */
export const claudeFlowSqliteFormat: FormatImporter = {
  format: 'claude-flow-sqlite',
  appendOnly: false,
  sniff({ path, name, head }: SniffInput) {
    if (name.endsWith('-wal')) {
      if (head.length < 32 || !WAL_MAGICS.includes(head.readUInt32BE(0))) return false
      const main = path.slice(0, -'-wal'.length)
      return existsSync(main) && isClaudeFlowDb(main, readHead(main, 64 * 1024))
    }
    return isClaudeFlowDb(path, head)
  },
  async importFile(ctx) {
    const dbPath = ctx.path.endsWith('-wal') ? ctx.path.slice(0, -'-wal'.length) : ctx.path
    // A database copied out of its project (sniffed by its tables) is a project of its own folder.
    importDb(ctx, dbPath, projectOf(dbPath) ?? projectAt(dirname(dbPath), basename(dbPath)))
    return { endOffset: ctx.size, lines: 0 }
  },
}
