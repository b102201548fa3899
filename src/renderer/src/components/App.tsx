import { Suspense, useEffect, useMemo, useState, type DragEvent } from 'react'
import { navigate, paths, useRoute } from '../lib/router'
import { useShortcuts, type Shortcut } from '../lib/shortcuts'
import { useExport } from '../stores/export'
import { useImports } from '../stores/imports'
import { useRuns } from '../stores/runs'
import { applyTheme, useSettings } from '../stores/settings'
import { ImportStatus } from './ImportStatus'
import { CompareScreen, DashboardScreen, ExportDialog, LibraryScreen, LiveScreen, SettingsScreen, TimelineScreen } from './screens'
import { ShortcutHelp } from './ShortcutHelp'

const NAV = [
  { screen: 'library', label: 'Runs', href: paths.library(), key: 'g r' },
  { screen: 'compare', label: 'Compare', href: '#/compare', key: 'g c' },
  { screen: 'live', label: 'Live', href: paths.live(), key: 'g l' },
  { screen: 'settings', label: 'Settings', href: paths.settings(), key: 'g s' },
] as const

export function App() {
  const route = useRoute((s) => s.route)
  const refresh = useRuns((s) => s.refresh)
  const importDrop = useImports((s) => s.importDrop)
  const dark = useSettings((s) => s.dark)
  const openExport = useExport((s) => s.open)
  const exporting = useExport((s) => s.target !== null)
  const [dragging, setDragging] = useState(false)
  const [help, setHelp] = useState(false)

  useEffect(() => void refresh(), [refresh])
  useEffect(() => applyTheme(dark), [dark])

  const shortcuts = useMemo<Shortcut[]>(
    () => [
      ...NAV.map((n) => ({ keys: n.key, label: `Go to ${n.label}`, run: () => navigate(n.href) })),
      { keys: 'g d', label: 'Go to the run dashboard', run: () => route.runId && navigate(paths.dashboard(route.runId)) },
      { keys: 'g t', label: 'Go to the agent timeline', run: () => route.runId && navigate(paths.timeline(route.runId)) },
      { keys: 'e', label: 'Export…', run: () => openExport({ kind: route.screen === 'compare' ? 'comparison' : route.runId ? 'dashboard' : 'runs', runId: route.runId }) },
      { keys: '?', label: 'Show keyboard shortcuts', run: () => setHelp((h) => !h) },
      { keys: 'Escape', label: 'Close a dialog', run: () => setHelp(false) },
    ],
    [route, openExport],
  )
  useShortcuts(shortcuts)

  // Files and folders may be dropped anywhere on the window.
  const onDragOver = (e: DragEvent) => {
    e.preventDefault()
    setDragging(true)
  }
  const onDrop = (e: DragEvent) => {
    e.preventDefault()
    setDragging(false)
    void importDrop(e.dataTransfer)
  }

  return (
    <div className={dragging ? 'app dragging' : 'app'} onDragOver={onDragOver} onDragLeave={() => setDragging(false)} onDrop={onDrop} data-testid="app">
      <header className="topbar">
        <a className="brand" href={paths.library()}>Swarmscope</a>
        <nav className="mainnav" aria-label="Screens">
          {NAV.map((n) => (
            <a key={n.screen} href={n.href} className={route.screen === n.screen ? 'active' : ''} data-testid={`nav-${n.screen}`} title={`${n.label} (${n.key})`}>
              {n.label}
            </a>
          ))}
        </nav>
        <ImportStatus />
        <button className="icon" onClick={() => setHelp(true)} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">?</button>
      </header>
      <main className="screen" data-screen={route.screen}>
        <Suspense fallback={<p className="muted loading pad">Loading…</p>}>
          {route.screen === 'library' && <LibraryScreen />}
          {route.screen === 'dashboard' && route.runId && <DashboardScreen runId={route.runId} />}
          {route.screen === 'timeline' && route.runId && <TimelineScreen runId={route.runId} />}
          {route.screen === 'compare' && <CompareScreen params={route.params} />}
          {route.screen === 'live' && <LiveScreen />}
          {route.screen === 'settings' && <SettingsScreen />}
        </Suspense>
      </main>
      {help && <ShortcutHelp shortcuts={shortcuts} onClose={() => setHelp(false)} />}
      {exporting && <Suspense fallback={null}><ExportDialog /></Suspense>}
      {dragging && <div className="drop-overlay">Drop files or folders to import</div>}
    </div>
  )
}
