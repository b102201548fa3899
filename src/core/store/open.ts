import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { migrations } from './migrations'
import { migrate } from './migrate'

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

export function openStore({ path, nativeBinding }: StoreOptions): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const opts = nativeBinding ? { nativeBinding } : {}
  const write = new Database(path, opts)
  write.pragma('journal_mode = WAL')
  write.pragma('synchronous = NORMAL')
  write.pragma('foreign_keys = ON')
  write.pragma('busy_timeout = 5000')
  // Imports insert spans in key order of their ids, not of the B-tree: with SQLite's default 2 MB
  // page cache most inserts miss it. 32 MB keeps the hot pages of a large import in memory: a
  // 1 GB import wrote as fast as with 64 or 256 MB, and its COMMIT was faster (fewer dirty pages
  // left to write at the end), with 32 MB less resident memory.
  write.pragma('cache_size = -32768')
  const schemaVersion = migrate(write, migrations)
  const read = path === ':memory:' ? write : new Database(path, { ...opts, readonly: true })
  read.pragma('busy_timeout = 5000')
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
