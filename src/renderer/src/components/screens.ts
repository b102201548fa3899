import { createElement, lazy, useEffect, useState, type ComponentType } from 'react'

// Each screen is a chunk of its own, loaded when first shown: opening a run's dashboard loads
// the dashboard and ECharts, not the library, timeline, comparison, live or settings code, nor
// the export dialog until it is opened. The main chunk is React, the stores and the client, so
// the dashboard's data is asked for while its chunk is still loading (see prefetchOnRoute).

/**
 * A screen whose chunk is asked for ahead of its first render (the dashboard's, see
 * prefetchOnRoute) renders at once when it has loaded. React.lazy suspends on its first render
 * even then, and React holds back content revealed within 300 ms of a Suspense fallback: every
 * visit to a dashboard idled that long, its data already in. Until the chunk is in, it shows the
 * Suspense fallback's "Loading…"; a chunk that fails to load fails the render, as with lazy.
 */
function preloadable<P extends object>(load: () => Promise<ComponentType<P>>) {
  let loaded: ComponentType<P> | null = null
  let loading: Promise<ComponentType<P>> | null = null
  const preload = () => (loading ??= load().then((c) => (loaded = c), (e: unknown) => {
    loading = null
    throw e
  }))
  function Screen(props: P) {
    const [state, setState] = useState<{ c: ComponentType<P> | null; error?: unknown }>(() => ({ c: loaded }))
    useEffect(() => {
      if (state.c || state.error) return
      let live = true
      preload().then((c) => live && setState({ c }), (error: unknown) => live && setState({ c: null, error }))
      return () => void (live = false)
    }, [state])
    if (state.error) throw state.error
    return state.c ? createElement(state.c, props) : createElement('p', { className: 'muted loading pad' }, 'Loading…')
  }
  return { Screen, preload }
}

export const LibraryScreen = lazy(() => import('../screens/library/LibraryScreen').then((m) => ({ default: m.LibraryScreen })))
export const dashboardScreen = preloadable(() => import('../screens/dashboard/DashboardScreen').then((m) => m.DashboardScreen))
export const DashboardScreen = dashboardScreen.Screen
export const TimelineScreen = lazy(() => import('../screens/timeline/TimelineScreen').then((m) => ({ default: m.TimelineScreen })))
export const CompareScreen = lazy(() => import('../screens/compare/CompareScreen').then((m) => ({ default: m.CompareScreen })))
export const LiveScreen = lazy(() => import('../screens/live/LiveScreen').then((m) => ({ default: m.LiveScreen })))
export const SettingsScreen = lazy(() => import('../screens/settings/SettingsScreen').then((m) => ({ default: m.SettingsScreen })))
export const ExportDialog = lazy(() => import('./ExportDialog').then((m) => ({ default: m.ExportDialog })))
