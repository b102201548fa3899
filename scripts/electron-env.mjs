// Facts about the Electron install, found without `require('electron')`: requiring it when its
// binary is missing would try to download it, which fails on machines without GitHub access.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export const ROOT = new URL('..', import.meta.url).pathname

/** The Electron executable, or null when only the npm package (no binary) is installed. */
export function electronBinary() {
  const pkg = join(ROOT, 'node_modules/electron')
  const pathFile = join(pkg, 'path.txt')
  if (!existsSync(pathFile)) return null
  const rel = readFileSync(pathFile, 'utf8').trim()
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(pkg, 'dist')
  const bin = join(dist, rel)
  return existsSync(bin) ? bin : null
}

export function electronVersion() {
  return JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')).version
}

export const hasDisplay = () => process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY)

export const electronNativeBinding = () => join(ROOT, '.native/electron/better_sqlite3.node')
