// The CLI as one ESM bundle (out/cli/swarmscope.mjs), rebuilt whenever a source file is newer.
// Running TypeScript through tsx costs ~1 s per start; the bundle starts in ~0.2 s, which
// matters for scripts, hooks and benchmarks. Dependencies stay in node_modules (not bundled).
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs'
import { join } from 'node:path'

const ROOT = new URL('..', import.meta.url).pathname
export const BUNDLE = join(ROOT, 'out/cli/swarmscope.mjs')
const SOURCES = ['src/cli', 'src/core', 'src/shared', 'src/server', 'resources/pricing'].map((d) => join(ROOT, d))

function newest(dir) {
  let t = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return t
}

export function bundleIsFresh() {
  if (!existsSync(BUNDLE)) return false
  const built = statSync(BUNDLE).mtimeMs
  return SOURCES.every((d) => !existsSync(d) || newest(d) <= built)
}

/** Builds the bundle if stale; returns its path, or null when esbuild is unavailable. */
export async function ensureCliBundle() {
  if (bundleIsFresh()) return BUNDLE
  let esbuild
  try {
    esbuild = await import('esbuild')
  } catch {
    return null
  }
  mkdirSync(join(ROOT, 'out/cli'), { recursive: true })
  // Written beside and renamed, so two commands starting at once never run half a file.
  const tmp = `${BUNDLE}.${process.pid}.tmp`
  await esbuild.build({
    entryPoints: [join(ROOT, 'src/cli/main.ts')],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'error',
    // import.meta.url must point into out/cli so relative paths (the renderer folder) resolve.
  })
  renameSync(tmp, BUNDLE)
  return BUNDLE
}
