import { homedir, platform } from 'node:os'
import { join } from 'node:path'

/**
 * Where the CLI and the local host keep data when no --db is given. The Electron app passes
 * its own `userData` folder instead.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SWARMSCOPE_DATA_DIR) return env.SWARMSCOPE_DATA_DIR
  const home = homedir()
  switch (platform()) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'swarmscope')
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'swarmscope')
    default:
      return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'swarmscope')
  }
}

export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.SWARMSCOPE_DB || join(defaultDataDir(env), 'swarmscope.db')
}
