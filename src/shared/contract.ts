import { z } from 'zod'
import { ImportProgress } from './dto'
import { analysisRoutes } from './routes/analysis'
import { bundleRoutes } from './routes/bundle'
import { importRoutes } from './routes/imports'
import { runsRoutes } from './routes/runs'
import { spansRoutes } from './routes/spans'
import { systemRoutes } from './routes/system'
import { alertRoutes } from './routes/alerts'
import { configRoutes } from './routes/config'
import { exportRoutes } from './routes/export'
import { pricingRoutes } from './routes/pricing'
import { runDataRoutes } from './routes/run-data'
import { sourceRoutes } from './routes/sources'
import { liveRoutes } from './routes/live'
import { reportsRoutes } from './routes/reports'
import { LiveHealth, LiveRunUpdate } from './live-dto'

// The contract is data: each route is declared once with its input and output schemas and
// its REST address; Electron IPC, the local HTTP host and the CLI are all derived from it.

// Each domain declares its routes in routes/*.ts; this table joins them.
export const routes = {
  ...systemRoutes,
  ...runsRoutes,
  ...importRoutes,
  ...analysisRoutes,
  ...bundleRoutes,
  ...configRoutes,
  ...pricingRoutes,
  ...exportRoutes,
  ...runDataRoutes,
  ...alertRoutes,
  ...sourceRoutes,
  ...spansRoutes,
  ...liveRoutes,
  ...reportsRoutes,
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
  // A write (other than an import, which says so in its progress) waits for another process writing to the store.
  'store.waiting': z.object({ waitedMs: z.number() }),
  // Live collection, throttled: stats about once a second, run updates a few times a second.
  'live.stats': LiveHealth,
  'live.run': LiveRunUpdate,
} as const
export type EventName = keyof typeof events
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>
export interface PushEvent<E extends EventName = EventName> {
  event: E
  payload: EventPayload<E>
}
