import { useEffect, useState, type DragEvent } from 'react'
import { useImports } from '../stores/imports'
import { useRuns } from '../stores/runs'
import { ImportStatus } from './ImportStatus'
import { RunOverview } from './RunOverview'
import { RunsList } from './RunsList'

export function App() {
  const { loaded, runs, overview, error, refresh } = useRuns()
  const importDrop = useImports((s) => s.importDrop)
  const [dragging, setDragging] = useState(false)

  useEffect(() => {
    void refresh()
  }, [refresh])

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
        <span className="brand">Swarmscope</span>
        <ImportStatus />
      </header>
      {error && <div className="notice error" role="alert">{error}</div>}
      <main className="layout">
        <RunsList />
        <section className="content">
          {overview ? (
            <RunOverview overview={overview} />
          ) : loaded && runs.length === 0 ? (
            <div className="empty" data-testid="empty-state">
              <h1>No runs yet</h1>
              <p>Drop a Claude Code transcript (<code>~/.claude/projects/&lt;project&gt;/&lt;session&gt;.jsonl</code>) or a whole project folder anywhere on this window.</p>
              <p className="muted">Or from a terminal: <code>swarmscope import ~/.claude/projects</code></p>
            </div>
          ) : loaded ? (
            <div className="empty"><p>Select a run on the left.</p></div>
          ) : null}
        </section>
      </main>
      {dragging && <div className="drop-overlay">Drop to import</div>}
    </div>
  )
}
