import type { EventName, EventPayload, RouteInput, RouteName, RouteOutput } from './contract'
import type { Result } from './result'

/** What every shell's client offers the UI: one call per route, one subscription per event. */
export interface CoreClient {
  call<R extends RouteName>(route: R, input: RouteInput<R>): Promise<Result<RouteOutput<R>>>
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

/** The narrow surface the Electron preload exposes as `window.api`. */
export interface PreloadApi {
  call(route: string, input: unknown): Promise<unknown>
  on(event: string, listener: (payload: unknown) => void): () => void
  /** Electron ≥ 32 hides File.path; the preload resolves a dropped File to its path. */
  pathForFile(file: unknown): string
}
