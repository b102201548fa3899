import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

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
    build: { outDir: resolve('out/renderer'), rollupOptions: { input: resolve('src/renderer/index.html') } },
    plugins: [react()],
  },
})
