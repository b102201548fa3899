import type { Shortcut } from '../lib/shortcuts'

const SCREEN_KEYS = [
  ['/', 'Search runs (library)'],
  ['c', 'Compare the selected runs (library)'],
  ['Delete', 'Delete the selected runs (library)'],
  ['+ / −', 'Zoom the timeline in / out'],
  ['← / →', 'Pan the timeline'],
  ['0', 'Show the whole run (timeline)'],
]

export function ShortcutHelp({ shortcuts, onClose }: { shortcuts: Shortcut[]; onClose(): void }) {
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className="modal" role="dialog" aria-label="Keyboard shortcuts" onClick={(e) => e.stopPropagation()} data-testid="shortcut-help">
        <h2>Keyboard shortcuts</h2>
        <table className="keys">
          <tbody>
            {[...shortcuts.filter((s) => s.keys !== 'Escape').map((s) => [s.keys, s.label]), ...SCREEN_KEYS].map(([k, l]) => (
              <tr key={k}><td><kbd>{k}</kbd></td><td>{l}</td></tr>
            ))}
          </tbody>
        </table>
        <button onClick={onClose}>Close</button>
      </div>
    </div>
  )
}
