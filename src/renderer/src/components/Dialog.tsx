import { useEffect, useRef, type ReactNode } from 'react'

/** A modal dialog: Escape or a click outside closes it; focus moves into it. */
export function Dialog({ title, onClose, children, testId, wide }: { title: string; onClose(): void; children: ReactNode; testId?: string; wide?: boolean }) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose()
    window.addEventListener('keydown', onKey)
    box.current?.querySelector<HTMLElement>('input, select, button')?.focus()
    return () => window.removeEventListener('keydown', onKey)
  }, [onClose])
  return (
    <div className="modal-backdrop" onMouseDown={onClose}>
      <div className={wide ? 'modal wide' : 'modal'} role="dialog" aria-modal="true" aria-label={title} ref={box} onMouseDown={(e) => e.stopPropagation()} data-testid={testId}>
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  )
}
