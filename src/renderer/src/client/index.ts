import type { PreloadApi } from '../../../shared/client'
import { createHttpClient } from './http'
import { createIpcClient } from './ipc'

declare global {
  interface Window {
    api?: PreloadApi
  }
}

function pick() {
  if (window.api) return createIpcClient(window.api)
  const token = new URLSearchParams(location.search).get('token') ?? ''
  return createHttpClient(token)
}

/** The one way the UI talks to the core, whichever shell it runs in. */
export const client = pick()
export type AppClient = typeof client
