import { z } from 'zod'
import { ImportProgress } from './dto'
import { analysisRoutes } from './routes/analysis'
import { importRoutes } from './routes/imports'
import { runsRoutes } from './routes/runs'
import { systemRoutes } from './routes/system'

// The contract is data: each route is declared once with its input and output schemas and
// its REST address; Electron IPC, the local HTTP host and the CLI are all derived from it.

// Each domain declares its routes in routes/*.ts; this table joins them.
export const routes = {
  ...systemRoutes,
  ...runsRoutes,
  ...importRoutes,
  ...analysisRoutes,
} as const

export type Routes = typeof routes
export type RouteName = keyof Routes
export type RouteInput<R extends RouteName> = z.input<Routes[R]['input']>
export type RouteOutput<R extends RouteName> = z.output<Routes[R]['output']>
export const routeNames = Object.keys(routes) as RouteName[]

// Push events: the core emits them; IPC, the host's WebSocket and the CLI subscribe.
export const events = {
  'import.progress': ImportProgress,
  'runs.changed': z.object({ runIds: z.array(z.string()) }),
} as const
export type EventName = keyof typeof events
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>
export interface PushEvent<E extends EventName = EventName> {
  event: E
  payload: EventPayload<E>
}
