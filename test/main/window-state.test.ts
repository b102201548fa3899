import { describe, expect, it } from 'vitest'
import { DEFAULT_SIZE, parseWindowState, restoreWindowState, type DisplayInfo, type WindowState } from '../../src/main/window-state'

const laptop: DisplayInfo = { id: 1, workArea: { x: 0, y: 25, width: 1440, height: 875 } }
const leftMonitor: DisplayInfo = { id: 2, workArea: { x: -2560, y: 0, width: 2560, height: 1400 } }
const saved = (x: number, y: number, width = 1200, height = 800, extra: Partial<WindowState> = {}): WindowState => ({ bounds: { x, y, width, height }, maximized: false, fullScreen: false, displayId: null, ...extra })

describe('window state', () => {
  it('opens centred on the primary display the first time, or when the file is garbage', () => {
    const first = restoreWindowState(parseWindowState(null), [laptop], laptop)
    expect(first.bounds).toEqual({ x: 20, y: 25, width: DEFAULT_SIZE.width, height: 875 })
    for (const junk of [{}, { bounds: { x: 'a' } }, { bounds: { x: 0, y: 0, width: -5, height: 10 } }, 'text', 42]) expect(parseWindowState(junk)).toBeNull()
  })

  it('restores a position that is still on a display, including one left of the primary', () => {
    const s = saved(-2000, 100, 1600, 1000, { maximized: true, displayId: 2 })
    expect(restoreWindowState(s, [laptop, leftMonitor], laptop)).toEqual({ bounds: { x: -2000, y: 100, width: 1600, height: 1000 }, maximized: true, fullScreen: false, displayId: 2 })
  })

  it('moves a window back onto the primary display when its monitor is unplugged', () => {
    const r = restoreWindowState(saved(-2000, 100, 1600, 1000, { displayId: 2 }), [laptop], laptop)
    expect(r.displayId).toBe(1)
    expect(r.bounds).toEqual({ x: 0, y: 25, width: 1440, height: 875 })
  })

  it('pulls a window hanging off the edge fully onto its display, and shrinks it after a resolution drop', () => {
    expect(restoreWindowState(saved(1000, 500), [laptop], laptop).bounds).toEqual({ x: 240, y: 100, width: 1200, height: 800 })
    const smaller: DisplayInfo = { id: 1, workArea: { x: 0, y: 0, width: 1024, height: 700 } }
    expect(restoreWindowState(saved(100, 50, 1400, 900), [smaller], smaller).bounds).toEqual({ x: 0, y: 0, width: 1024, height: 700 })
  })

  it('does not keep a window whose title bar is off-screen or that barely shows', () => {
    const titleAbove = restoreWindowState(saved(100, -790), [laptop], laptop)
    expect(titleAbove.bounds.y).toBeGreaterThanOrEqual(25)
    const sliver = restoreWindowState(saved(1400, 300), [laptop], laptop)
    expect(sliver.bounds.x + sliver.bounds.width).toBeLessThanOrEqual(1440)
    expect(sliver.bounds.x).toBe(Math.round((1440 - 1200) / 2))
  })

  it('keeps the window on whichever display shows most of it when it straddles two', () => {
    const r = restoreWindowState(saved(-300, 100, 1200, 800), [laptop, leftMonitor], laptop)
    expect(r.displayId).toBe(1)
    expect(r.bounds).toEqual({ x: 0, y: 100, width: 1200, height: 800 })
  })
})
