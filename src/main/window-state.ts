// Where the window was, remembered in userData and restored safely: monitors come and go and
// change resolution between launches, and a window restored off every screen is unreachable.

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

export interface WindowState {
  /** The normal (not maximised) bounds, so un-maximising after a restart lands somewhere sensible. */
  bounds: Rect
  maximized: boolean
  fullScreen: boolean
  /** The display the window was mostly on; preferred when it is still connected. */
  displayId: number | null
}

export interface DisplayInfo {
  id: number
  /** The display's area minus taskbars, docks and menu bars, in screen coordinates. */
  workArea: Rect
}

export const DEFAULT_SIZE = { width: 1400, height: 900 }
export const MIN_SIZE = { width: 800, height: 560 }
/** How much of the window must show on a display for the saved position to be kept. */
const MIN_VISIBLE = { width: 160, height: 80 }

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/** A saved state read from disk, or null when it is missing or not what we wrote. */
export function parseWindowState(value: unknown): WindowState | null {
  const v = value as Partial<WindowState> | null
  const b = v?.bounds as Partial<Rect> | undefined
  if (!b || !finite(b.x) || !finite(b.y) || !finite(b.width) || !finite(b.height) || b.width <= 0 || b.height <= 0) return null
  return {
    bounds: { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height) },
    maximized: v?.maximized === true,
    fullScreen: v?.fullScreen === true,
    displayId: finite(v?.displayId) ? v.displayId : null,
  }
}

function overlap(a: Rect, b: Rect): Rect {
  const x = Math.max(a.x, b.x)
  const y = Math.max(a.y, b.y)
  return { x, y, width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - x), height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - y) }
}
const area = (r: Rect) => r.width * r.height

/** The window's size capped to the work area, then moved (not resized further) to lie inside it. */
function fitInto(bounds: Rect, work: Rect): Rect {
  const width = Math.min(Math.max(bounds.width, Math.min(MIN_SIZE.width, work.width)), work.width)
  const height = Math.min(Math.max(bounds.height, Math.min(MIN_SIZE.height, work.height)), work.height)
  const x = Math.min(Math.max(bounds.x, work.x), work.x + work.width - width)
  const y = Math.min(Math.max(bounds.y, work.y), work.y + work.height - height)
  return { x, y, width, height }
}

function centred(size: { width: number; height: number }, work: Rect): Rect {
  const width = Math.min(size.width, work.width)
  const height = Math.min(size.height, work.height)
  return { x: work.x + Math.round((work.width - width) / 2), y: work.y + Math.round((work.height - height) / 2), width, height }
}

/**
 * The bounds to open the window with. The saved position is kept when enough of the window
 * (including its top edge, where the title bar is) still shows on a connected display, and
 * is then pulled fully onto that display; otherwise the window is centred on the display it
 * was on if still connected, else on the primary one, keeping its size where it fits.
 */
export function restoreWindowState(saved: WindowState | null, displays: readonly DisplayInfo[], primary: DisplayInfo): WindowState {
  if (!saved) return { bounds: centred(DEFAULT_SIZE, primary.workArea), maximized: false, fullScreen: false, displayId: primary.id }
  const titleBar: Rect = { ...saved.bounds, height: Math.min(saved.bounds.height, 40) }
  let best: { display: DisplayInfo; visible: Rect } | null = null
  for (const display of displays) {
    const visible = overlap(saved.bounds, display.workArea)
    if (!best || area(visible) > area(best.visible)) best = { display, visible }
  }
  const titleShows = displays.some((d) => area(overlap(titleBar, d.workArea)) > 0)
  const keep = best && titleShows && best.visible.width >= MIN_VISIBLE.width && best.visible.height >= MIN_VISIBLE.height
  const state = { maximized: saved.maximized, fullScreen: saved.fullScreen }
  if (keep) return { ...state, bounds: fitInto(saved.bounds, best!.display.workArea), displayId: best!.display.id }
  const home = displays.find((d) => d.id === saved.displayId) ?? primary
  return { ...state, bounds: centred(saved.bounds, home.workArea), displayId: home.id }
}
