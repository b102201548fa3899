#!/usr/bin/env node
// `npm start`: the Electron app where its binary is installed and a display exists; otherwise
// the local host (`swarmscope serve`), which prints its URL and serves the same UI to a browser.
// Extra arguments go to `serve`: `npm start -- --port 7420`.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { electronBinary, electronNativeBinding, hasDisplay, ROOT } from './electron-env.mjs'

function newestMtime(dir) {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs)
  }
  return newest
}

/** Builds when the output is missing or older than the sources, so `npm start` never shows stale UI. */
function ensureBuilt() {
  const built = join(ROOT, 'out/renderer/index.html')
  const mainBuilt = join(ROOT, 'out/main/index.js')
  if (existsSync(built) && existsSync(mainBuilt) && statSync(built).mtimeMs >= newestMtime(join(ROOT, 'src'))) return
  console.log('building the app (electron-vite build)…')
  const r = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

ensureBuilt()
const electron = electronBinary()
const args = process.argv.slice(2)

if (electron && hasDisplay() && !process.env.SWARMSCOPE_HEADLESS) {
  if (!existsSync(electronNativeBinding())) {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build-electron-native.mjs')], { stdio: 'inherit' })
    if (r.status !== 0) process.exit(r.status ?? 1)
  }
  const child = spawn(electron, [ROOT], { stdio: 'inherit' })
  child.on('exit', (code) => process.exit(code ?? 0))
} else {
  if (!electron) console.log('Electron is not installed here; starting the local host instead (the same UI, in your browser).')
  else if (!hasDisplay()) console.log('No display; starting the local host instead.')
  const child = spawn(process.execPath, [join(ROOT, 'bin/swarmscope.mjs'), 'serve', ...args], { stdio: 'inherit' })
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
  child.on('exit', (code) => process.exit(code ?? 0))
}
