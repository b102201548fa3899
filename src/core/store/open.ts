import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { migrations } from './migrations'
import { migrate } from './migrate'
import { explainStoreError, foreignStoreError } from './store-errors'

/** How much of the database file is memory-mapped for reading (a 1 GB transcript corpus makes a ~180 MB store). */
const MMAP_BYTES = 256 * 1024 * 1024
/**
 * The WAL file's size once a checkpoint has copied it all into the store: SQLite keeps the file
 * at its largest otherwise (it overwrites rather than appends), so a running app or host held
 * on to as much disk as its largest import wrote, about the size of what it stored, until it
 * exited. The file shrinks to this at the first commit after such a checkpoint. A tailed append
 * of 1 % of the bench's 1 GB corpus writes ~50 MB of WAL (12,227 pages), which stays within it.
 */
export const WAL_KEPT_BYTES = 64 * 1024 * 1024
/** The writing connection's page cache: a transaction's pages wait here, unwritten, until they spill or commit. */
export const WRITE_CACHE_BYTES = 32 * 1024 * 1024

export interface StoreOptions {
  path: string
  /** Path to a better_sqlite3.node built for the current runtime (the Electron build lives apart from Node's). */
  nativeBinding?: string
}

export interface Store {
  /** Used for every write, serialised by the core's write queue. */
  write: Database.Database
  /** A second connection: in WAL mode it sees only committed data, so readers never see half an import. */
  read: Database.Database
  path: string
  schemaVersion: number
  /** The native build the store was opened with, for other databases the core opens (anonymized copies). */
  nativeBinding?: string
  close(): void
}

/**
 * Opens (creating if need be) the store at `path` and brings its schema up to date. A file that
 * cannot be a store (another program's database, not a database, unreadable) is refused with
 * what is wrong and what to do (store-errors.ts), and left exactly as it was.
 */
export function openStore({ path, nativeBinding }: StoreOptions): Store {
  let write: Database.Database | null = null
  let read: Database.Database | null = null
  try {
    return openConnections(path, nativeBinding, (w, r) => ((write = w), (read = r)))
  } catch (e) {
    for (const db of [read, write] as (Database.Database | null)[]) {
      try {
        if (db?.open) db.close()
      } catch {
        // Reporting the first error matters more.
      }
    }
    throw explainStoreError(e, path) ?? e
  }
}

function openConnections(path: string, nativeBinding: string | undefined, opened: (write: Database.Database, read: Database.Database | null) => void): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const opts = nativeBinding ? { nativeBinding } : {}
  const write = new Database(path, opts)
  opened(write, null)
  const foreign = foreignStoreError(write, path)
  if (foreign) throw foreign
  write.pragma('journal_mode = WAL')
  write.pragma('synchronous = NORMAL')
  write.pragma('foreign_keys = ON')
  write.pragma('busy_timeout = 5000')
  write.pragma(`journal_size_limit = ${WAL_KEPT_BYTES}`)
  // Imports insert spans in key order of their ids, not of the B-tree: with SQLite's default 2 MB
  // page cache most inserts miss it. 32 MB keeps the hot pages of a large import in memory: a
  // 1 GB import wrote as fast as with 64 or 256 MB, and its COMMIT was faster (fewer dirty pages
  // left to write at the end), with 32 MB less resident memory.
  write.pragma(`cache_size = -${WRITE_CACHE_BYTES / 1024}`)
  const schemaVersion = migrate(write, migrations)
  const read = path === ':memory:' ? write : new Database(path, { ...opts, readonly: true })
  opened(write, read)
  read.pragma('busy_timeout = 5000')
  // Pages outside SQLite's own cache are read through a memory map instead of one read() call
  // each: on this project's 2-core VM a cold read() of a page cost ~20 µs, and summing the spans
  // of 1,500 runs took 150 ms mapped against 500-670 ms without. The map is of the file (the
  // WAL is read as before) and the pages it touches are the OS's file cache, shared and
  // reclaimable, though counted in the process's RSS. Stores larger than this are partly mapped.
  if (path !== ':memory:') for (const db of [write, read]) db.pragma(`mmap_size = ${MMAP_BYTES}`)
  return {
    write,
    read,
    path,
    schemaVersion,
    nativeBinding,
    close() {
      if (read !== write) read.close()
      write.close()
    },
  }
}
