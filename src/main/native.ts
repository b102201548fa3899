import { existsSync } from 'node:fs'
import { join } from 'node:path'

/**
 * better-sqlite3 is compiled for Node in node_modules (CLI, host, tests). Electron has another
 * ABI, so `npm run electron:native` builds a second copy into .native/electron/, and the app
 * loads it through better-sqlite3's `nativeBinding` option. Packaged apps carry it in resources.
 */
export function electronNativeBinding(appPath: string, resourcesPath: string, packaged: boolean): string | undefined {
  const candidates = packaged
    ? [join(resourcesPath, 'native', 'better_sqlite3.node')]
    : [join(appPath, '.native', 'electron', 'better_sqlite3.node')]
  return candidates.find((p) => existsSync(p))
}
