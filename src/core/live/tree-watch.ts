import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs'
import { join } from 'node:path'

// Watches a folder tree for changed files. On Linux, Node's `fs.watch(dir, { recursive: true })`
// is emulated in JavaScript: every change event re-reads the folders below (measured: 1.1 s of
// readdir for one burst of appends to 1,500 transcripts in a 10,000-file tree). Here each folder
// gets its own inotify watch instead, and only a folder that appears is read. macOS and Windows
// have native recursive watches, which are used as they are.

export const SKIPPED_DIRS = new Set(['node_modules', '.git'])
const MAX_DEPTH = 12

export interface TreeWatchOptions {
  /** Called with the path of a file that changed or appeared (any name: the caller filters). */
  onFile(path: string): void
  /** The watch failed as a whole (the root went away, or the system's watch limit was reached). */
  onError(e: Error): void
}

export interface TreeWatch {
  /** Folders watched (1 with a native recursive watch). */
  readonly folders: number
  close(): void
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

/** One watch per folder (Linux); throws when not even the root can be watched. */
class PerFolderWatch implements TreeWatch {
  private readonly watchers = new Map<string, FSWatcher>()
  private closed = false

  constructor(
    private readonly root: string,
    private readonly opts: TreeWatchOptions,
  ) {
    this.add(root, 0, false)
    if (this.watchers.size === 0) throw new Error(`cannot watch ${root}`)
  }

  get folders(): number {
    return this.watchers.size
  }

  close(): void {
    this.closed = true
    for (const w of this.watchers.values()) w.close()
    this.watchers.clear()
  }

  /** Watches `dir` and the folders below it; `announce` reports the files found (a folder that appeared after the start). */
  private add(dir: string, depth: number, announce: boolean): void {
    if (this.closed || this.watchers.has(dir) || depth > MAX_DEPTH) return
    let w: FSWatcher
    try {
      w = watch(dir, (event, name) => this.changed(dir, depth, event, name))
    } catch (e) {
      // ENOSPC: the system's inotify limit. A partial watch would silently miss folders, so give up on watching.
      if ((e as NodeJS.ErrnoException).code === 'ENOSPC') return this.fail(e as Error)
      return
    }
    w.on('error', () => this.drop(dir))
    this.watchers.set(dir, w)
    let entries
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch {
      return
    }
    for (const e of entries) {
      const p = join(dir, e.name)
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) this.add(p, depth + 1, announce)
      } else if (announce) this.opts.onFile(p)
    }
  }

  private changed(dir: string, depth: number, event: string, name: string | Buffer | null): void {
    if (this.closed) return
    if (!name) return
    const path = join(dir, String(name))
    if (event === 'rename') {
      // The watched folder itself went (inotify names it as if it were inside itself).
      if (!isDir(dir)) return this.drop(dir)
      // A name appeared or went: a new folder is watched (its files reported), a removed one dropped.
      if (this.watchers.has(path)) {
        if (!isDir(path)) this.drop(path)
        return
      }
      if (!SKIPPED_DIRS.has(String(name)) && isDir(path)) return this.add(path, depth + 1, true)
    }
    this.opts.onFile(path)
  }

  private drop(dir: string): void {
    // The root itself gone: the watch as a whole has failed (the caller rescans and watches again).
    if (dir === this.root) return this.fail(new Error(`${this.root} was removed`))
    for (const [d, w] of this.watchers) {
      if (d === dir || d.startsWith(dir + '/')) {
        w.close()
        this.watchers.delete(d)
      }
    }
  }

  private fail(e: Error): void {
    this.close()
    this.opts.onError(e)
  }
}

/** The platform's native recursive watch (macOS FSEvents, Windows ReadDirectoryChangesW). */
function nativeRecursive(root: string, opts: TreeWatchOptions): TreeWatch {
  const w = watch(root, { recursive: true }, (_event, name) => {
    if (!name) return
    if (String(name).split(/[\\/]/).some((p) => SKIPPED_DIRS.has(p))) return
    opts.onFile(join(root, String(name)))
  })
  w.on('error', (e) => opts.onError(e))
  return { folders: 1, close: () => w.close() }
}

/** Watches the tree under `root`; throws if it cannot be watched at all (the caller falls back to rescans). */
export function watchTree(root: string, opts: TreeWatchOptions, platform: NodeJS.Platform = process.platform): TreeWatch {
  return platform === 'linux' ? new PerFolderWatch(root, opts) : nativeRecursive(root, opts)
}
