import { rmSync } from 'node:fs'
import { CoreError } from '../../../shared/result'
import { CHROMIUM_HINT, findChromium } from '../../platform/chromium'
import { scratchDir } from '../../platform/scratch'

// Turning HTML into PDF and SVG into PNG/JPEG needs a browser engine. Outside Electron that is
// Chromium driven by puppeteer-core; the Electron shell can install its own printer
// (webContents.printToPDF / capturePage) with setPrinterFactory, and nothing else changes.

export interface PdfOptions {
  /** Paper size; the layout's @page rule decides margins. */
  format?: 'A4' | 'Letter'
}

export interface ScreenshotOptions {
  width: number
  height: number
  /** Device pixel ratio: 2 doubles the pixels of the same layout. */
  scale: number
  type: 'png' | 'jpeg'
}

export interface HtmlPrinter {
  pdf(html: string, opts?: PdfOptions): Promise<Buffer>
  screenshot(html: string, opts: ScreenshotOptions): Promise<Buffer>
  close(): Promise<void>
}

export type PrinterFactory = () => Promise<HtmlPrinter>

let factory: PrinterFactory = chromiumPrinter

/** The hook for the Electron shell: use printToPDF/capturePage instead of a separate Chromium. */
export function setPrinterFactory(f: PrinterFactory | null): void {
  factory = f ?? chromiumPrinter
}

/**
 * Starts a printer now and hands it to `use` later: Chromium takes a second or so to start,
 * which can overlap with building the report. The printer is always closed, so no browser
 * outlives the request; a failure to start surfaces when `use` would have run.
 */
export function startPrinter(): { use<T>(work: (p: HtmlPrinter) => Promise<T>): Promise<T>; close(): Promise<void>; warmUp(maxMs: number): Promise<void> } {
  let settled = false
  const starting = factory()
  starting.then(() => (settled = true), () => (settled = true)) // observed here; an error is rethrown by use()
  return {
    /**
     * Gives the launcher a few event-loop turns to spawn the browser before the caller blocks
     * the loop with synchronous work (the analysis); the browser then starts in parallel.
     */
    async warmUp(maxMs) {
      const until = performance.now() + maxMs
      while (!settled && performance.now() < until) await new Promise((r) => setTimeout(r, 10))
    },
    async use(work) {
      return work(await starting)
    },
    async close() {
      const p = await starting.catch(() => null)
      await p?.close()
    },
  }
}

/** Runs `use` with a printer and always closes it. */
export async function withPrinter<T>(use: (p: HtmlPrinter) => Promise<T>): Promise<T> {
  const printer = startPrinter()
  try {
    return await printer.use(use)
  } finally {
    await printer.close()
  }
}

const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

export async function chromiumPrinter(): Promise<HtmlPrinter> {
  const executablePath = findChromium()
  if (!executablePath) throw new CoreError('unsupported_format', `PDF, PNG and JPEG export need Chromium: ${CHROMIUM_HINT}`)
  const { default: puppeteer } = await import('puppeteer-core')
  // A fresh profile each time: no state shared with the user's browser or a previous export.
  const profile = scratchDir('swarmscope-chromium-')
  // Also when the process exits mid-render (serve stopped by a signal): puppeteer kills the browser then.
  const removeProfile = () => rmSync(profile, { recursive: true, force: true })
  process.once('exit', removeProfile)
  let browser
  try {
    browser = await puppeteer.launch({ executablePath, headless: true, userDataDir: profile, args: LAUNCH_ARGS })
  } catch (e) {
    process.off('exit', removeProfile)
    removeProfile()
    throw new CoreError('io_error', `could not start Chromium at ${executablePath}: ${(e as Error).message.split('\n')[0]}`)
  }
  const page = async () => {
    const p = await browser.newPage()
    // Reports are documents: no script runs while they are printed, whatever a template holds.
    await p.setJavaScriptEnabled(false)
    return p
  }
  return {
    async pdf(html, opts = {}) {
      const p = await page()
      await p.setContent(html, { waitUntil: 'load' })
      const pdf = await p.pdf({ format: opts.format ?? 'A4', printBackground: true, preferCSSPageSize: true })
      await p.close()
      return Buffer.from(pdf)
    },
    async screenshot(html, o) {
      const p = await page()
      await p.setViewport({ width: o.width, height: o.height, deviceScaleFactor: o.scale })
      await p.setContent(html, { waitUntil: 'load' })
      const img = await p.screenshot({ type: o.type, ...(o.type === 'jpeg' ? { quality: 92 } : {}), clip: { x: 0, y: 0, width: o.width, height: o.height } })
      await p.close()
      return Buffer.from(img)
    },
    async close() {
      await browser.close().catch(() => undefined)
      process.off('exit', removeProfile)
      removeProfile()
    },
  }
}
