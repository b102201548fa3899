import { compact } from '../../../shared/format'
import { useImports } from '../stores/imports'

/** Progress of running imports, then what the last import skipped, by file:line. */
export function ImportStatus() {
  // Select the stored object (stable between updates), not a fresh array: zustand re-renders on identity.
  const active = Object.values(useImports((s) => s.active))
  const { lastSkipped, lastError, lastImported, cancel, dismiss } = useImports()
  return (
    <div className="import-status" aria-live="polite">
      {active.map((a) => {
        const p = a.progress
        const pct = p && p.totalBytes ? Math.round((100 * p.bytesRead) / p.totalBytes) : 0
        return (
          <div className="import" key={a.id} data-testid="import-progress">
            <progress max={100} value={pct} />
            <span>{p ? `${pct}% · ${p.filesDone}/${p.filesTotal} files · ${compact(p.lines)} lines` : 'uploading…'}</span>
            <button onClick={() => void cancel(a.id)}>Cancel</button>
          </div>
        )
      })}
      {lastError && (
        <div className="notice error" role="alert">
          Import failed: {lastError} <button onClick={dismiss}>Dismiss</button>
        </div>
      )}
      {lastImported !== null && !lastError && (
        <div className="notice" data-testid="import-result">
          Imported {lastImported} run{lastImported === 1 ? '' : 's'}
          {lastSkipped.length > 0 && `, skipped ${lastSkipped.length}:`}
          {lastSkipped.length > 0 && (
            <ul className="skipped">
              {lastSkipped.slice(0, 50).map((s, i) => (
                <li key={i}>{s.file}{s.line !== null ? `:${s.line}` : ''} — {s.reason}</li>
              ))}
            </ul>
          )}
          <button onClick={dismiss}>Dismiss</button>
        </div>
      )}
    </div>
  )
}
