/// <reference types="vite/client" />

// Built from the contract by electron.vite.config.ts: each route's REST address, without its schemas.
declare module 'virtual:route-addresses' {
  import type { RouteName } from '../../shared/contract'
  export const routeAddresses: Record<RouteName, readonly ['GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', string]>
}
