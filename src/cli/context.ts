import { createCore, defaultDbPath, type Core } from '../core'
import type { RouteInput, RouteName, RouteOutput } from '../shared/contract'

export interface GlobalOptions {
  db?: string
  json?: boolean
  verbose?: boolean
}

/** A failure to report as one sentence, with the process exit code to use. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message)
  }
}

/** What a command says while its write waits for another process writing to the store at `path`. */
export const waitingForStore = (path: string) => `waiting for another process writing to ${path} (the app, \`serve\` or another import)`

export function openCore(opts: GlobalOptions): Core {
  const path = opts.db ?? defaultDbPath()
  const core = createCore({ path })
  // A rename, tag or report made while another process writes to the store waits for it: said
  // once, so that the pause is not taken for a hang (an import says so in its own progress).
  let told = false
  core.on('store.waiting', () => {
    if (told) return
    told = true
    console.error(`${waitingForStore(path)}…`)
  })
  return core
}

/** Calls a route in-process and unwraps the Result, turning a failure into a CliError. */
export async function call<R extends RouteName>(core: Core, route: R, input: RouteInput<R>): Promise<RouteOutput<R>> {
  const result = await core.call(route, input)
  if (!result.ok) throw new CliError(result.error.message, result.error.code === 'not_found' ? 3 : result.error.code === 'bad_request' ? 2 : 1)
  return result.data
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + "\n")
}
