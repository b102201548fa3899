import type { RunSummary } from '../../../shared/dto'
import { usd } from '../../../shared/format'
import { paths } from '../lib/router'

/** Title, facts and the Dashboard / Timeline switch shared by the run screens. */
export function RunHeader({ run, view, children }: { run: RunSummary; view: 'dashboard' | 'timeline'; children?: React.ReactNode }) {
  return (
    <header className="run-header">
      <div>
        <h1 data-testid="run-title">{run.name}</h1>
        <p className="muted">
          {run.id} · {run.source}{run.group ? ` · group ${run.group}` : ''} · started {run.startedAt?.replace('T', ' ').slice(0, 19) ?? '—'} UTC · <span data-testid="run-content-policy" title="What text this run's import kept: none (numbers only), redacted or full">content kept: {run.contentPolicy}</span>
          {run.reportedCostUsd !== null ? ` · reported cost ${usd(run.reportedCostUsd)}` : ''}
        </p>
        {run.unpricedModels.length > 0 && <p className="warn">Not priced (unknown models): {run.unpricedModels.join(', ')}</p>}
      </div>
      <nav className="tabs" aria-label="Run views">
        <a href={paths.dashboard(run.id)} className={view === 'dashboard' ? 'active' : ''} data-testid="tab-dashboard" title="Dashboard (g d)">Dashboard</a>
        <a href={paths.timeline(run.id)} className={view === 'timeline' ? 'active' : ''} data-testid="tab-timeline" title="Timeline (g t)">Timeline</a>
      </nav>
      <div className="run-actions">{children}</div>
    </header>
  )
}
