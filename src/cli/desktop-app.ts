import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

// Finding the desktop app without `require('electron')`: requiring it when its binary is
// missing would try to download it, which fails on machines without GitHub access. The same
// rules as scripts/electron-env.mjs, in TypeScript for the CLI and the Electron e2e specs.

export interface DesktopEnv {
  root: string
  env: Record<string, string | undefined>
  platform: NodeJS.Platform
  exists?: (path: string) => boolean
}

/** The Electron executable in this checkout, or null when only the npm package (no binary) is installed. */
export function electronBinary(root: string, env: Record<string, string | undefined> = process.env, exists: (path: string) => boolean = existsSync): string | null {
  const pkg = join(root, 'node_modules/electron')
  const pathFile = join(pkg, 'path.txt')
  if (!exists(pathFile)) return null
  const bin = join(env.ELECTRON_OVERRIDE_DIST_PATH || join(pkg, 'dist'), readFileSync(pathFile, 'utf8').trim())
  return exists(bin) ? bin : null
}

/** Where the installers put the app (electron-builder defaults; Linux uses linux.executableName). */
export function installedAppCandidates(platform: NodeJS.Platform, env: Record<string, string | undefined>): string[] {
  if (platform === 'darwin') return ['/Applications/Swarmscope.app/Contents/MacOS/Swarmscope', join(env.HOME ?? '', 'Applications/Swarmscope.app/Contents/MacOS/Swarmscope')]
  if (platform === 'win32') return [env.ProgramFiles, env.LOCALAPPDATA && join(env.LOCALAPPDATA, 'Programs')].filter((d): d is string => !!d).map((d) => join(d, 'Swarmscope', 'Swarmscope.exe'))
  return ['/usr/bin/swarmscope-app', '/opt/Swarmscope/swarmscope-app']
}

export type DesktopLaunch = { command: string; args: string[] } | { unavailable: string }

/**
 * How to hand paths to the desktop app: the app named by SWARMSCOPE_APP, Electron from this
 * checkout once it is built, or an installed app. A running app receives them through its
 * single-instance lock, so this also works while the window is open. Otherwise, why not.
 */
export function desktopLaunch(paths: string[], o: DesktopEnv): DesktopLaunch {
  const exists = o.exists ?? existsSync
  if (o.env.SWARMSCOPE_HEADLESS) return { unavailable: 'SWARMSCOPE_HEADLESS is set' }
  if (o.platform === 'linux' && !o.env.DISPLAY && !o.env.WAYLAND_DISPLAY) return { unavailable: 'there is no display' }
  if (o.env.SWARMSCOPE_APP) return exists(o.env.SWARMSCOPE_APP) ? { command: o.env.SWARMSCOPE_APP, args: ['--', ...paths] } : { unavailable: `SWARMSCOPE_APP (${o.env.SWARMSCOPE_APP}) does not exist` }
  const electron = electronBinary(o.root, o.env, exists)
  if (!electron) {
    const installed = installedAppCandidates(o.platform, o.env).find((p) => exists(p))
    return installed ? { command: installed, args: ['--', ...paths] } : { unavailable: 'neither the Swarmscope app nor the Electron binary is installed' }
  }
  if (!exists(join(o.root, 'out/main/index.js'))) return { unavailable: 'the app is not built (run `npm run build`)' }
  if (!exists(join(o.root, '.native/electron/better_sqlite3.node'))) return { unavailable: 'the Electron build of better-sqlite3 is missing (run `npm start` once)' }
  return { command: electron, args: [o.root, '--', ...paths] }
}
