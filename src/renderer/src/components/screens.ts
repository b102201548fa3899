import { lazy } from 'react'

// Each screen is a chunk of its own, loaded when first shown: opening a run's dashboard loads
// the dashboard and ECharts, not the library, timeline, comparison, live or settings code, nor
// the export dialog until it is opened. The main chunk is React, the stores and the client, so
// the dashboard's data is asked for while its chunk is still loading (see prefetchRoute).

export const LibraryScreen = lazy(() => import('../screens/library/LibraryScreen').then((m) => ({ default: m.LibraryScreen })))
export const DashboardScreen = lazy(() => import('../screens/dashboard/DashboardScreen').then((m) => ({ default: m.DashboardScreen })))
export const TimelineScreen = lazy(() => import('../screens/timeline/TimelineScreen').then((m) => ({ default: m.TimelineScreen })))
export const CompareScreen = lazy(() => import('../screens/compare/CompareScreen').then((m) => ({ default: m.CompareScreen })))
export const LiveScreen = lazy(() => import('../screens/live/LiveScreen').then((m) => ({ default: m.LiveScreen })))
export const SettingsScreen = lazy(() => import('../screens/settings/SettingsScreen').then((m) => ({ default: m.SettingsScreen })))
export const ExportDialog = lazy(() => import('./ExportDialog').then((m) => ({ default: m.ExportDialog })))
