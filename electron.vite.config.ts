import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'
import react from '@vitejs/plugin-react'
import { routes } from './src/shared/contract'

/**
 * The renderer needs only each route's name and REST address, not the zod schemas of the
 * contract (zod and the schemas were a third of its bundle). This module is that table, derived
 * at build time from the contract itself, so it cannot drift from it.
 */
function routeAddresses(): Plugin {
  const id = 'virtual:route-addresses'
  return {
    name: 'swarmscope:route-addresses',
    resolveId: (source) => (source === id ? `\0${id}` : undefined),
    load(loaded) {
      if (loaded !== `\0${id}`) return undefined
      const table = Object.fromEntries(Object.entries(routes).map(([name, r]) => [name, (r as { http: readonly [string, string] }).http]))
      return `export const routeAddresses = ${JSON.stringify(table)}`
    },
  }
}

/**
 * The run dashboard is the screen opened most (a run opens on it), and its chunks (the screen
 * and ECharts, 0.75 MB) would otherwise start loading only once the main chunk has run: they are
 * preloaded beside it, so ECharts is parsed by the time the run's data arrives.
 */
function preloadDashboard(): Plugin {
  return {
    name: 'swarmscope:preload-dashboard',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const chunks = Object.values(ctx.bundle ?? {}).filter((c) => c.type === 'chunk')
        const screen = chunks.find((c) => c.facadeModuleId?.endsWith('/screens/dashboard/DashboardScreen.tsx'))
        if (!screen) return []
        // The entry and what it imports are in the page already.
        const present = new Set(chunks.filter((c) => c.isEntry).flatMap((c) => [c.fileName, ...c.imports]))
        return [screen.fileName, ...screen.imports].filter((f) => !present.has(f)).map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${file}` }, injectTo: 'head' as const }))
      },
    },
  }
}

// One build for three targets. The renderer output (out/renderer) is also what
// `swarmscope serve` hands to any browser, so it must not assume Electron.
export default defineConfig({
  main: {
    build: {
      // The ingest parse worker is an entry of its own (out/main/ingest-worker.js): the core starts
      // it from the file beside the bundle (src/core/ingest/parse-pool.ts).
      rollupOptions: {
        input: { index: resolve('src/main/index.ts'), 'ingest-worker': resolve('src/core/ingest/parse-worker.ts') },
        external: ['better-sqlite3', 'electron'],
      },
    },
  },
  preload: {
    build: { rollupOptions: { input: { index: resolve('src/preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } } },
  },
  renderer: {
    root: resolve('src/renderer'),
    base: './',
    // electron-vite leaves the renderer unminified by default; minified it parses in half the time
    // in the browser (the local host serves it to any browser, not only from Electron's disk).
    build: { outDir: resolve('out/renderer'), minify: true, rollupOptions: { input: resolve('src/renderer/index.html') } },
    plugins: [react(), routeAddresses(), preloadDashboard()],
  },
})
