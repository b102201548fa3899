import { useEffect } from 'react'

// Keyboard shortcuts: single keys, or two-key sequences starting with `g` (go to). Ignored
// while typing in a field, so search boxes and dialogs keep their keys.

export interface Shortcut {
  keys: string
  label: string
  run(): void
}

const typing = (t: EventTarget | null) =>
  t instanceof HTMLElement &&
  (t.isContentEditable || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || (t instanceof HTMLInputElement && !['checkbox', 'radio', 'range', 'button'].includes(t.type)))

export function useShortcuts(shortcuts: Shortcut[]): void {
  useEffect(() => {
    let pending = ''
    let timer = 0
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return
      const key = e.key === 'Delete' ? 'Delete' : e.key
      const seq = pending ? `${pending} ${key}` : key
      const hit = shortcuts.find((s) => s.keys === seq)
      if (hit) {
        e.preventDefault()
        pending = ''
        hit.run()
        return
      }
      pending = shortcuts.some((s) => s.keys.startsWith(`${seq} `)) ? seq : ''
      window.clearTimeout(timer)
      if (pending) timer = window.setTimeout(() => (pending = ''), 1200)
    }
    window.addEventListener('keydown', onKey)
    return () => {
      window.removeEventListener('keydown', onKey)
      window.clearTimeout(timer)
    }
  }, [shortcuts])
}
