import { routeNames, routes, type RouteName } from '../shared/contract'

interface Compiled {
  route: RouteName
  method: string
  pattern: RegExp
  params: string[]
}

// REST addresses come from the contract table, so a route added there is served here too.
const compiled: Compiled[] = routeNames.map((route) => {
  const [method, path] = routes[route].http
  const params: string[] = []
  const pattern = new RegExp(
    '^/api/v1' + path.replace(/:(\w+)/g, (_m, name: string) => (params.push(name), '([^/]+)')) + '$',
  )
  return { route, method, pattern, params }
})

export function matchRoute(method: string, pathname: string): { route: RouteName; params: Record<string, string> } | null {
  for (const c of compiled) {
    if (c.method !== method) continue
    const m = c.pattern.exec(pathname)
    if (!m) continue
    const params: Record<string, string> = {}
    c.params.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])))
    return { route: c.route, params }
  }
  return null
}

/** Whether some route has this path under another method (405 rather than 404). */
export function pathExists(pathname: string): boolean {
  return compiled.some((c) => c.pattern.test(pathname))
}
