import type { Core } from '../core'
import { routes, type RouteName } from '../shared/contract'
import { fail, type Result } from '../shared/result'
import { isShellRoute, shellRoutes, type ShellRouteName } from '../shared/shell'
import type { z } from 'zod'

// Every renderer call arrives here (one ipcMain handler, channel 'core:call'): the sender is
// checked first, then `shell.*` routes are answered by the shell and the rest by the core,
// each with its input validated against its schema.

export type ShellHandlers = {
  [R in ShellRouteName]: (input: z.output<(typeof shellRoutes)[R]['input']>) => Promise<Result<z.output<(typeof shellRoutes)[R]['output']>>>
}

export function callDispatcher(o: { core: Pick<Core, 'call'>; isTrusted(senderUrl: string): boolean; shell: ShellHandlers }) {
  return async (senderUrl: string, route: unknown, input: unknown): Promise<Result<unknown>> => {
    if (!o.isTrusted(senderUrl)) return fail('unauthorized', 'untrusted sender')
    if (typeof route !== 'string') return fail('bad_request', 'route must be a string')
    if (isShellRoute(route)) {
      const parsed = shellRoutes[route].input.safeParse(input ?? {})
      if (!parsed.success) return fail('bad_request', `invalid input for ${route}: ${parsed.error.issues.map((x) => `${x.path.join('.') || 'input'}: ${x.message}`).join('; ')}`)
      try {
        return await o.shell[route](parsed.data)
      } catch (e) {
        return fail('internal', (e as Error).message)
      }
    }
    if (!Object.hasOwn(routes, route)) return fail('not_found', `unknown route ${route}`)
    return o.core.call(route as RouteName, input as never) // the core validates input with the route's zod schema
  }
}
