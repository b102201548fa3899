import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export const TOKEN_COOKIE = 'swarmscope_token'

export function newToken(env: NodeJS.ProcessEnv = process.env): string {
  return env.SWARMSCOPE_TOKEN || randomBytes(24).toString('hex')
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** The token from `Authorization: Bearer`, `x-swarmscope-token`, `?token=` or the page's cookie. */
export function presentedToken(req: IncomingMessage, url: URL): string | null {
  const auth = req.headers.authorization
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim()
  const header = req.headers['x-swarmscope-token']
  if (typeof header === 'string') return header
  const query = url.searchParams.get('token')
  if (query) return query
  const cookie = req.headers.cookie?.split(/;\s*/).find((c) => c.startsWith(`${TOKEN_COOKIE}=`))
  return cookie ? decodeURIComponent(cookie.slice(TOKEN_COOKIE.length + 1)) : null
}

export function hasToken(req: IncomingMessage, url: URL, token: string): boolean {
  const got = presentedToken(req, url)
  return got !== null && same(got, token)
}

/**
 * DNS-rebinding and cross-site defence: the Host must be our loopback address, and a browser's
 * Origin, when sent, must be this very host.
 */
export function isLocalRequest(req: IncomingMessage, port: number): boolean {
  const allowed = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`])
  if (!req.headers.host || !allowed.has(req.headers.host)) return false
  const origin = req.headers.origin
  if (origin === undefined || origin === 'null') return origin === undefined
  try {
    return allowed.has(new URL(origin).host) && new URL(origin).protocol === 'http:'
  } catch {
    return false
  }
}
