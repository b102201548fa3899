import { routeAddresses as routes } from 'virtual:route-addresses'
import type { RouteName } from '../../../shared/contract'
import type { Result } from '../../../shared/result'
import { client } from '.'

/**
 * Calls a route that another part of the app may not have added yet (reports, settings…).
 * Until it is in the contract the answer is `not_found`, and the UI shows what is missing
 * instead of failing: this is the hook those routes plug into.
 */
export async function callIfPresent<T = unknown>(route: string, input: unknown): Promise<Result<T>> {
  if (!(route in routes)) return { ok: false, error: { code: 'not_found', message: `this build has no ${route} route yet` } }
  return (await client.call(route as RouteName, input as never)) as Result<T>
}

export const hasRoute = (route: string) => route in routes
