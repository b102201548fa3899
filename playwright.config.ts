import { defineConfig } from '@playwright/test'
import { findChromium } from './src/core/platform/chromium'

// Debian's Chromium, never a downloaded browser build (`npx playwright install` cannot run here).
export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  workers: 1,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    launchOptions: {
      executablePath: findChromium() ?? undefined,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
    viewport: { width: 1400, height: 900 },
    // A failure that does not repeat here leaves its trace (test-results/) to be read afterwards.
    trace: 'retain-on-failure',
  },
})
