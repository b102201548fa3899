// The CLI as one ESM bundle (out/cli/swarmscope.mjs), rebuilt whenever a source file is newer.
// Running TypeScript through tsx costs ~1 s per start; the bundle starts in ~0.2 s, which
// matters for scripts, hooks and benchmarks. Dependencies stay in node_modules (not bundled).
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'

const ROOT = new URL('..', import.meta.url).pathname
export const BUNDLE = join(ROOT, 'out/cli/swarmscope.mjs')
// The ingest parse worker (src/core/ingest/parse-worker.ts) runs from its own file beside the bundle.
const WORKER = join(ROOT, 'out/cli/ingest-worker.mjs')
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
  if (!existsSync(BUNDLE) || !existsSync(WORKER)) return false
  const built = Math.min(statSync(BUNDLE).mtimeMs, statSync(WORKER).mtimeMs)
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
  // Built into a folder of its own and renamed into place (worker first, bundle last), so two
  // commands starting at once never run half a file or a bundle without its worker.
  const tmp = join(ROOT, `out/cli/.build-${process.pid}`)
  mkdirSync(tmp, { recursive: true })
  try {
    await esbuild.build({
      entryPoints: { swarmscope: join(ROOT, 'src/cli/main.ts'), 'ingest-worker': join(ROOT, 'src/core/ingest/parse-worker.ts') },
      outdir: tmp,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      sourcemap: 'linked',
      logLevel: 'error',
      // Code behind a dynamic import (the host, live services, the MCP SDK) goes to chunks loaded
      // on first use: with packages external, a single file would import ws, prom-client and the
      // MCP SDK at every start (~0.35 s), though only serve and mcp need them.
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      // import.meta.url must point into out/cli so relative paths (the renderer folder, the worker) resolve.
    })
    // Chunks are named by content hash: moving them in first never changes one a running command reads.
    mkdirSync(join(ROOT, 'out/cli/chunks'), { recursive: true })
    for (const name of existsSync(join(tmp, 'chunks')) ? readdirSync(join(tmp, 'chunks')) : []) renameSync(join(tmp, 'chunks', name), join(ROOT, 'out/cli/chunks', name))
    for (const name of ['ingest-worker.mjs.map', 'ingest-worker.mjs', 'swarmscope.mjs.map', 'swarmscope.mjs']) renameSync(join(tmp, name), join(ROOT, 'out/cli', name))
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
  return BUNDLE
}
