import { spawnSync } from 'node:child_process'

// The CLI in its own process, as this user or, when the tests run as root, as nobody: root
// passes every file permission, so a test of what a user may not read or write needs another user.

export const BIN = new URL('../../bin/swarmscope.mjs', import.meta.url).pathname
const NOBODY = 65534
export const isRoot = process.getuid?.() === 0
const AS_NOBODY = ['setpriv', '--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups']

/** Runs the CLI; as root, `asUser` runs it as nobody, for whom file permissions hold. */
export function cliAs(args: string[], opts: { env?: Record<string, string>; asUser?: boolean } = {}) {
  const [cmd, ...pre] = opts.asUser && isRoot ? [...AS_NOBODY, process.execPath] : [process.execPath]
  const r = spawnSync(cmd, [...pre, BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...opts.env }, timeout: 60_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/**
 * Whether nobody can run our code from where this checkout is (a CI clone under a private folder
 * may not). The CLI bundle is brought up to date first, as this user: nobody may not write it.
 */
spawnSync(process.execPath, [BIN, '--version'])
export const nobodyCanRun = !isRoot || spawnSync(AS_NOBODY[0], [...AS_NOBODY.slice(1), process.execPath, BIN, '--version']).status === 0
