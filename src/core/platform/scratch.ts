import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'

// Scratch folders (copies of claude-flow databases, uploads, bundles, Chromium profiles) are
// removed by the code that made them, also on Ctrl-C and SIGTERM. A process killed outright
// (SIGKILL, the OOM killer, a crash) cannot: its folder stays in the temp folder, and it may
// hold a full copy of a user's database or files a browser uploaded to `serve`. So each folder
// is named after the host and the process that made it, and the next Swarmscope process that
// makes one of the same kind removes those whose process has ended.
//
// The host name is in the name because a temp folder can be shared by containers whose process
// ids overlap: only folders of this host are judged, by a process id that means the same here.
// A process id reused since is taken as alive: the folder stays, which errs on the safe side.

/** `myhost` → a name part without path separators or the `.`/`-` this module parses on. */
const hostPart = () => hostname().replace(/[^A-Za-z0-9_]/g, '_') || 'host'

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code !== 'ESRCH'
  }
}

/**
 * Removes `<dir>/<prefix><host>.<pid>-*` folders of this host whose process has ended. Folders of
 * other hosts, of live processes, of another user (not removable) and with names of any other
 * form are left alone.
 */
function removeLeftovers(dir: string, prefix: string): void {
  const ours = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${hostPart()}\\.(\\d+)-`)
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return
  }
  for (const name of names) {
    const m = ours.exec(name)
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue
    try {
      rmSync(join(dir, name), { recursive: true, force: true })
    } catch {
      // Another user's folder, or one being removed by another process: not ours to clean.
    }
  }
}

/** Temp folders and prefixes whose leftovers this process has looked for (once each: the temp folder can be large). */
const swept = new Set<string>()

/**
 * A new folder `<tmp>/<prefix><host>.<pid>-XXXXXX`, after removing (once per process and
 * prefix) the ones processes that have ended left behind.
 */
export function scratchDir(prefix: string): string {
  const dir = tmpdir()
  const key = `${dir}\0${prefix}`
  if (!swept.has(key)) {
    swept.add(key)
    removeLeftovers(dir, prefix)
  }
  return mkdtempSync(join(dir, `${prefix}${hostPart()}.${process.pid}-`))
}
