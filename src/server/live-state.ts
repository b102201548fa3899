import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

// A small file beside the database telling `swarmscope hook` and `swarmscope health` where the
// running host is and which token it wants. Readable by this user only: the token is in it.

export const STATE_FILE = 'live-host.json'

export interface LiveHostState {
  pid: number
  port: number
  token: string
  otlpPort: number | null
  dbPath: string
  startedAt: string
  version: string
}

export const stateFileFor = (dbPath: string) => join(dirname(dbPath), STATE_FILE)

export function writeHostState(dbPath: string, state: LiveHostState): string {
  const file = stateFileFor(dbPath)
  mkdirSync(dirname(file), { recursive: true })
  // Written beside and renamed: a hook never reads half a file.
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 })
  renameSync(tmp, file)
  return file
}

export function readHostState(dbPath: string): LiveHostState | null {
  const file = stateFileFor(dbPath)
  if (!existsSync(file)) return null
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LiveHostState
  } catch {
    return null
  }
}

/** Removes the file if it is still ours (another host may have started on the same database since). */
export function removeHostState(dbPath: string): void {
  const state = readHostState(dbPath)
  if (state?.pid === process.pid) rmSync(stateFileFor(dbPath), { force: true })
}
