#!/usr/bin/env node
// Starts the CLI from its bundle (rebuilt automatically when a source is newer), or straight
// from TypeScript through tsx when esbuild is unavailable. Either way: no manual build step,
// and never stale code.
import { pathToFileURL } from 'node:url'
import { ensureCliBundle } from '../scripts/cli-bundle.mjs'

const bundle = process.env.SWARMSCOPE_NO_BUNDLE ? null : await ensureCliBundle()
if (bundle) {
  await import(pathToFileURL(bundle).href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import('../src/cli/main.ts')
}
