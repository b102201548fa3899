import { byteSize, compact, exact } from '../../../shared/format'
import { skippedByReason, useImports } from '../stores/imports'

/** Each running import with a progress bar (bytes, lines, runs, files) and Cancel; then what the last import did. */
export function ImportStatus() {
  // Select the stored object (stable between updates), not a fresh array: zustand re-renders on identity.
  const activeMap = useImports((s) => s.active)
  const active = Object.values(activeMap)
  const recent = useImports((s) => s.recent)
  const cancel = useImports((s) => s.cancel)
  const dismiss = useImports((s) => s.dismiss)
  return (
    <div className="import-status" aria-live="polite">
      {active.map((a) => {
        const p = a.progress
        const pct = p && p.totalBytes ? Math.min(100, Math.round((100 * p.bytesRead) / p.totalBytes)) : 0
        return (
          <div className="import" key={a.id} data-testid="import-progress">
            <span className="import-label" title={a.label}>{a.label}</span>
            <progress max={100} value={p && p.waitingMs === undefined ? pct : undefined} aria-label="import progress" />
            <span className="import-figures" data-testid="import-figures">
              {!p
                ? 'uploading…'
                : p.waitingMs !== undefined
                  ? `waiting for another process writing to the store (an import in a terminal, another window): ${Math.round(p.waitingMs / 1000)} s`
                  : `${pct}% · ${byteSize(p.bytesRead)} of ${byteSize(p.totalBytes)} · ${compact(p.lines)} lines · ${exact(p.runs)} runs · ${p.filesDone}/${p.filesTotal} files`}
            </span>
            <button onClick={() => void cancel(a.id)} data-testid="import-cancel">Cancel</button>
          </div>
        )
      })}
      {recent.map((last) => (
        <div key={last.id} className={last.error ? 'notice error' : 'notice'} data-testid="import-result" role={last.error ? 'alert' : undefined}>
          {last.error ? (
            <span>Import of {last.label} failed: {last.error}</span>
          ) : last.cancelled ? (
            <span>Import of {last.label} cancelled; nothing was changed.</span>
          ) : (
            <span>
              {recent.length > 1 && `${last.label}: `}
              Imported {last.runs} run{last.runs === 1 ? '' : 's'} from {exact(last.files)} file{last.files === 1 ? '' : 's'}
              {last.unchanged > 0 && ` (${exact(last.unchanged)} unchanged since the last import, not read again)`}
              {last.kept > 0 && `; ${exact(last.kept)} run${last.kept === 1 ? ' was' : 's were'} already stored and left as ${last.kept === 1 ? 'it was' : 'they were'}`}
              {last.skipped.length > 0 && `, skipped ${exact(last.skipped.length)}:`}
            </span>
          )}
          {last.skipped.length > 0 && (
            <details className="skipped" open={last.skipped.length <= 5} data-testid="import-skipped">
              <summary>{skippedByReason(last.skipped).map((r) => `${r.reason} × ${r.count}`).join(' · ')}</summary>
              <ul>
                {last.skipped.slice(0, 200).map((s, i) => (
                  <li key={i}><code>{s.file}{s.line !== null ? `:${s.line}` : ''}</code> — {s.reason}</li>
                ))}
                {last.skipped.length > 200 && <li className="muted">… and {exact(last.skipped.length - 200)} more</li>}
              </ul>
            </details>
          )}
          <button className="link" onClick={() => dismiss(last.id)}>Dismiss</button>
        </div>
      ))}
    </div>
  )
}
