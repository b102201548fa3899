import { z } from 'zod'
import { Health, ImportResult, RunOverview, RunSummary, ImportProgress } from './dto'

// The contract is data: each route is declared once with its input and output schemas and
// its REST address; Electron IPC, the local HTTP host and the CLI are all derived from it.

const RunRef = z.object({ id: z.string().min(1).describe("a run id, or 'latest'") })
const TagMap = z.record(z.string(), z.string())

export const routes = {
  'system.health': { input: z.object({}), output: Health, http: ['GET', '/health'] },
  'runs.list': {
    input: z.object({ group: z.string().optional(), limit: z.coerce.number().int().positive().max(100_000).optional() }),
    output: z.array(RunSummary),
    http: ['GET', '/runs'],
  },
  'runs.get': { input: RunRef, output: RunSummary, http: ['GET', '/runs/:id'] },
  'runs.overview': {
    input: RunRef.extend({ maxPoints: z.coerce.number().int().min(10).max(10_000).optional() }),
    output: RunOverview,
    http: ['GET', '/runs/:id/overview'],
  },
  'runs.rename': { input: RunRef.extend({ name: z.string().min(1).max(200) }), output: RunSummary, http: ['POST', '/runs/:id/rename'] },
  'runs.tag': {
    input: RunRef.extend({ tags: TagMap.optional(), group: z.string().nullable().optional() }),
    output: RunSummary,
    http: ['POST', '/runs/:id/tags'],
  },
  'runs.delete': { input: RunRef, output: z.object({ deleted: z.boolean() }), http: ['DELETE', '/runs/:id'] },
  'import.paths': {
    input: z.object({
      paths: z.array(z.string().min(1)).min(1),
      group: z.string().optional(),
      tags: TagMap.optional(),
      importId: z.string().optional(),
    }),
    output: ImportResult,
    http: ['POST', '/imports'],
  },
  'import.cancel': { input: z.object({ importId: z.string() }), output: z.object({ cancelled: z.boolean() }), http: ['POST', '/imports/:importId/cancel'] },
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
