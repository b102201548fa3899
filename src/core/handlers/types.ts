import type { z } from 'zod'
import type { EventName, EventPayload, RouteName, RouteOutput, routes } from '../../shared/contract'
import type { Store } from '../store/open'
import type { WriteQueue } from '../write-queue'

/** What every domain's handlers may use. */
export interface CoreContext {
  store: Store
  /** Serialises writes: an import's long transaction must not absorb a rename. */
  writes: WriteQueue
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void
}

/** Handlers receive the input after zod parsing (defaults applied, numbers coerced). */
export type Handler<R extends RouteName> = (input: z.output<(typeof routes)[R]['input']>) => Promise<RouteOutput<R>> | RouteOutput<R>

/** The handlers of the routes named `<prefix>.…`: a domain file must answer all of its routes. */
export type HandlersFor<P extends string> = { [R in RouteName as R extends `${P}.${string}` ? R : never]: Handler<R> }
export type AllHandlers = { [R in RouteName]: Handler<R> }
