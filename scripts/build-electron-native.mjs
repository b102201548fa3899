#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into .native/electron/, leaving the Node build in
// node_modules untouched: the CLI, the host and the tests keep working in plain Node, and the
// app loads its own copy through better-sqlite3's `nativeBinding` option (src/main/native.ts).
// Needs the Electron headers or a prebuilt binary, so it runs where Electron installs normally.
import { spawnSync } from 'node:child_process'
import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { electronNativeBinding, electronVersion, ROOT } from './electron-env.mjs'

const version = electronVersion()
const work = join(ROOT, '.native/build/better-sqlite3')
rmSync(work, { recursive: true, force: true })
mkdirSync(join(ROOT, '.native/electron'), { recursive: true })
cpSync(join(ROOT, 'node_modules/better-sqlite3'), work, { recursive: true, filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`) })

const run = (cmd, args) => spawnSync(cmd, args, { cwd: work, stdio: 'inherit', shell: process.platform === 'win32' })
console.log(`building better-sqlite3 for Electron ${version}…`)
// A prebuilt binary when one is published for this Electron, else a source build against its headers.
let ok = run('npx', ['--yes', 'prebuild-install', '--runtime', 'electron', '--target', version]).status === 0
if (!ok) ok = run('npx', ['--yes', 'node-gyp', 'rebuild', '--release', '--runtime=electron', `--target=${version}`, '--dist-url=https://electronjs.org/headers']).status === 0
const built = join(work, 'build/Release/better_sqlite3.node')
if (!ok || !existsSync(built)) {
  console.error('could not build better-sqlite3 for Electron (no prebuilt binary and no Electron headers reachable). The local host (`npm start` without Electron) works without it.')
  process.exit(1)
}
copyFileSync(built, electronNativeBinding())
console.log(`wrote ${electronNativeBinding()}`)
