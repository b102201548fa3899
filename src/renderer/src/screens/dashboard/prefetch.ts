import { dashboardScreen } from '../../components/screens'
import { useRoute, type Route } from '../../lib/router'
import { useDashboard } from '../../stores/dashboard'
import { useRunData } from '../../stores/run-data'
import { prefetchSeries } from './use-series'

/**
 * Asks the core for what the dashboard draws first, in the order it should answer (the core
 * answers one request at a time): the summary first, as nothing of the dashboard renders before
 * it and it is one stored row; then the time charts' series, then the aggregates (the slowest on
 * a run not opened before, so the time charts draw meanwhile). Asking again is free.
 */
export function prefetchDashboard(runId: string): void {
  const data = useRunData.getState()
  data.load(runId)
  prefetchSeries(runId, useDashboard.getState().layout)
  data.loadBreakdown(runId)
}

/**
 * From start-up on, whenever the address names a dashboard, its data and its code are asked for
 * at once: before React has rendered anything (an effect would wait for the first paint) and
 * while the dashboard's chunk is still loading.
 */
export function prefetchOnRoute(): void {
  const go = (r: Route) => {
    if (r.screen !== 'dashboard' || !r.runId) return
    prefetchDashboard(r.runId)
    // The chunk the screen renders from once loaded (screens.ts); a failure shows when it renders.
    dashboardScreen.preload().catch(() => {})
  }
  go(useRoute.getState().route)
  useRoute.subscribe((s, before) => s.route !== before.route && go(s.route))
}
