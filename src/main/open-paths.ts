import { extname, isAbsolute, resolve } from 'node:path'
import { BUNDLE_EXTENSION } from '../shared/routes/bundle'

// Paths reach the shell four ways: the first launch's argv, a second launch's argv (forwarded
// by the single-instance lock), macOS `open-file`, and the menus. All of them end up here.

export interface ArgvContext {
  /** The working directory the arguments are relative to (the second instance's, for forwarded ones). */
  cwd: string
  /** Unpackaged, argv is [electron, appPath, …]; packaged, [app, …]. */
  packaged: boolean
}

/**
 * The file and folder arguments of an Electron command line: switches (ours and the ones
 * Chromium appends, like --original-process-start-time) are dropped, as is the app path when
 * running unpackaged; everything after `--` is a path even if it starts with a dash.
 */
export function pathsFromArgv(argv: readonly string[], ctx: ArgvContext): string[] {
  const paths: string[] = []
  let skipAppPath = !ctx.packaged
  let positionalOnly = false
  for (const arg of argv.slice(1)) {
    if (!positionalOnly && arg === '--') {
      positionalOnly = true
      continue
    }
    if (!positionalOnly && arg.startsWith('-')) continue
    if (skipAppPath && !positionalOnly) {
      skipAppPath = false
      continue
    }
    if (arg.trim() === '') continue
    paths.push(isAbsolute(arg) ? arg : resolve(ctx.cwd, arg))
  }
  return [...new Set(paths)]
}

/** What a second instance passes through `requestSingleInstanceLock(additionalData)`. */
export interface ForwardedOpen {
  paths: string[]
}

/**
 * The paths a second instance asked to open. It resolves them itself and sends them as
 * additionalData, because the argv the first instance sees may be reordered and extended by
 * Chromium; argv is the fallback when the data is missing (a second instance by another user).
 */
export function pathsFromSecondInstance(additionalData: unknown, argv: readonly string[], ctx: ArgvContext): string[] {
  const data = additionalData as Partial<ForwardedOpen> | null
  if (data && Array.isArray(data.paths) && data.paths.every((p) => typeof p === 'string' && isAbsolute(p))) return data.paths
  return pathsFromArgv(argv, ctx)
}

export const isBundlePath = (path: string) => extname(path).toLowerCase() === BUNDLE_EXTENSION

/**
 * Holds paths that arrive before the app can import them (macOS sends `open-file` before
 * `ready`; a double-clicked file's argv is read before the window exists) and releases them,
 * in order and without repeats, once a handler is attached.
 */
export class PendingOpens {
  private queue: string[] = []
  private handler: ((paths: string[]) => void) | null = null

  add(paths: readonly string[]): void {
    if (paths.length === 0) return
    if (this.handler) return this.handler([...paths])
    for (const p of paths) if (!this.queue.includes(p)) this.queue.push(p)
  }

  /** From now on paths go straight to the handler; queued ones go first. */
  attach(handler: (paths: string[]) => void): void {
    this.handler = handler
    const queued = this.queue.splice(0)
    if (queued.length) handler(queued)
  }

  /** The window closed (macOS keeps the app running): queue again until the next one loads. */
  detach(): void {
    this.handler = null
  }
}
