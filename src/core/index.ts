export { createCore, type Core } from './core'
export { defaultDataDir, defaultDbPath } from './platform/paths'
export { findChromium, CHROMIUM_HINT } from './platform/chromium'
export { claudeProjectsDirs } from './live/claude-dirs'
// Shell hooks for reports: the Electron shell prints with its own Chromium; long-lived shells run the scheduler.
export { setPrinterFactory, type HtmlPrinter, type PrinterFactory } from './reports/render/printer'
export { startReportScheduler } from './reports/schedule/loop'
