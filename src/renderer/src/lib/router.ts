import { create } from 'zustand'

// A small hash router: the address says which screen and which run, so reloads and the back
// button work, and the Electron build (file://) needs no server-side routes.
//   #/                      runs library
//   #/run/<id>              run dashboard
//   #/run/<id>/timeline     agent timeline
//   #/compare?b=<ref>&c=<ref>,<ref>   compare (refs: run ids or group:NAME)
//   #/live  #/settings

export type Screen = 'library' | 'dashboard' | 'timeline' | 'compare' | 'live' | 'settings'

export interface Route {
  screen: Screen
  runId: string | null
  params: URLSearchParams
}

export function parseHash(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#/, '').split('?')
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent)
  const params = new URLSearchParams(query)
  if (parts[0] === 'run' && parts[1]) return { screen: parts[2] === 'timeline' ? 'timeline' : 'dashboard', runId: parts[1], params }
  if (parts[0] === 'compare' || parts[0] === 'live' || parts[0] === 'settings') return { screen: parts[0], runId: null, params }
  return { screen: 'library', runId: null, params }
}

export const paths = {
  library: () => '#/',
  dashboard: (runId: string) => `#/run/${encodeURIComponent(runId)}`,
  timeline: (runId: string) => `#/run/${encodeURIComponent(runId)}/timeline`,
  compare: (baseline: string, candidates: string[]) => `#/compare?b=${encodeURIComponent(baseline)}&c=${candidates.map(encodeURIComponent).join(',')}`,
  live: () => '#/live',
  settings: () => '#/settings',
}

export const useRoute = create<{ route: Route }>(() => ({ route: parseHash(location.hash) }))

window.addEventListener('hashchange', () => useRoute.setState({ route: parseHash(location.hash) }))

export function navigate(hash: string): void {
  if (location.hash === hash) return
  location.hash = hash
}
