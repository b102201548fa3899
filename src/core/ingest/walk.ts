import { readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { SkippedInput } from '../../shared/dto'

export interface Candidate {
  path: string
  explicit: boolean
  size: number
  mtimeMs: number
}

const SKIPPED_DIRS = new Set(['node_modules', '.git'])

/**
 * Folder listings kept between imports in this process (the desktop app and `serve` import the
 * same folders again and again). A folder's mtime changes whenever an entry is added, removed
 * or renamed, so an unchanged mtime means an unchanged listing: the stat the walk makes anyway
 * replaces reading the folder (~7,600 folders under a 1 GB ~/.claude/projects). A listing is
 * kept only when taken more than RACY_MARGIN_MS after the folder's last change: a change in the
 * same timestamp tick as the one before it would leave the mtime as it was.
 */
const RACY_MARGIN_MS = 5000
const MAX_LISTINGS = 200_000
interface Listing {
  mtimeMs: number
  names: string[]
}
const listings = new Map<string, Listing>()

function list(dir: string, st: { mtimeMs: number }): { names: string[] } {
  const cached = listings.get(dir)
  if (cached && cached.mtimeMs === st.mtimeMs) return cached
  const takenAt = Date.now()
  const listing = { mtimeMs: st.mtimeMs, names: readdirSync(dir).sort() }
  if (takenAt - st.mtimeMs > RACY_MARGIN_MS && takenAt - st.mtimeMs < 10 * 365 * 86_400_000) {
    if (listings.size >= MAX_LISTINGS) listings.clear()
    listings.set(dir, listing)
  } else listings.delete(dir)
  return listing
}

/** The files under `paths` (folders walked in name order), with the size and mtime the import decides on. */
export function walk(paths: string[], skipped: SkippedInput[]): Candidate[] {
  const out: Candidate[] = []
  // Folders by device and inode: a symlink back up the tree (`ln -s . loop`) or a second link
  // to a folder already walked is not walked again (a loop was followed ~40 levels deep, every
  // file read at each level).
  const walked = new Set<string>()
  const seenFiles = new Map<string, number>()
  const visit = (p: string, explicit: boolean) => {
    let st
    try {
      st = statSync(p)
    } catch (e) {
      // A name that is not UTF-8 comes out of the listing with U+FFFD in it: no path names that file.
      const badName = !explicit && p.includes('\uFFFD') && (e as NodeJS.ErrnoException).code === 'ENOENT'
      skipped.push({ file: p, line: null, reason: badName ? 'cannot read: its name is not valid UTF-8' : cannotRead(e) })
      return
    }
    if (st.isDirectory()) {
      const id = `${st.dev}:${st.ino}`
      if (walked.has(id)) return
      walked.add(id)
      let names: string[]
      try {
        names = list(p, st).names
      } catch (e) {
        // A folder the user may not list (mode 000, another user's) is one skipped entry, not the end of the import.
        skipped.push({ file: p, line: null, reason: cannotRead(e) })
        return
      }
      for (let i = 0; i < names.length; i++) if (!SKIPPED_DIRS.has(names[i])) visit(join(p, names[i]), false)
    } else if (st.isFile()) {
      // A file both named and inside a named folder is one candidate (read once, listed once).
      const at = seenFiles.get(p)
      if (at !== undefined) out[at].explicit ||= explicit
      else {
        seenFiles.set(p, out.length)
        out.push({ path: p, explicit, size: st.size, mtimeMs: st.mtimeMs })
      }
    }
  }
  for (const p of paths) visit(resolve(p), true)
  return out
}

/** Why a file or folder could not be read, in the words of the skipped list. */
export function cannotRead(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code
  const why = code === 'ENOENT' ? 'no such file or folder' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (e as Error).message
  return `cannot read: ${why}`
}
