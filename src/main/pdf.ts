import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { BrowserWindow, session } from 'electron'
import type { HtmlPrinter } from '../core'
import { scratchDir } from '../core/platform/scratch'
import { webPreferences } from './security'

// PDF export: the report HTML (built by the core's reports) printed by Chromium in a hidden
// window. The window is as locked down as the main one and, in its own session, may load
// nothing but the report file itself and inline data: no network, no other files' scripts.

const PARTITION = 'swarmscope-pdf'
let sessionReady = false

function pdfSession(): Electron.Session {
  const s = session.fromPartition(PARTITION, { cache: false })
  if (!sessionReady) {
    s.webRequest.onBeforeRequest((details, callback) => {
      const allowed = /^(data|blob):/.test(details.url) || (details.url.startsWith('file:') && details.url.includes('/swarmscope-pdf-'))
      callback({ cancel: !allowed })
    })
    s.setPermissionRequestHandler((_wc, _p, callback) => callback(false))
    sessionReady = true
  }
  return s
}

export interface PdfOptions {
  landscape?: boolean
  pageSize?: 'A4' | 'Letter'
}

/** Loads the HTML from a temporary file into a hidden, script-less window; both are gone when `use` settles. */
async function withReportWindow<T>(html: string, size: { width: number; height: number; zoom?: number }, use: (w: BrowserWindow) => Promise<T>): Promise<T> {
  const dir = scratchDir('swarmscope-pdf-')
  const file = join(dir, 'report.html')
  writeFileSync(file, html)
  // Reports are documents: no script runs in them, whatever a user template holds.
  const win = new BrowserWindow({ show: false, useContentSize: true, ...size, webPreferences: { ...webPreferences(), javascript: false, zoomFactor: size.zoom ?? 1, session: pdfSession() } })
  try {
    await win.loadFile(file)
    return await use(win)
  } finally {
    win.destroy()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Renders HTML to PDF bytes; the temporary file and window are gone when the promise settles. */
export function printHtmlToPdf(html: string, o: PdfOptions = {}): Promise<Buffer> {
  return withReportWindow(html, { width: 1200, height: 1600 }, (win) =>
    win.webContents.printToPDF({ printBackground: true, pageSize: o.pageSize ?? 'A4', landscape: o.landscape ?? false, generateDocumentOutline: true, preferCSSPageSize: true }),
  )
}

/**
 * The core's printer in the desktop app (setPrinterFactory): reports' PDFs and chart PNG/JPEG come
 * from Electron's own Chromium, so the app needs no separate browser. A scale of 2 renders the
 * same CSS layout at twice the pixels (zoom 2 in a window twice the size).
 */
export async function electronPrinter(): Promise<HtmlPrinter> {
  return {
    pdf: (html, o = {}) => printHtmlToPdf(html, { pageSize: o.format ?? 'A4' }),
    screenshot: (html, o) =>
      withReportWindow(html, { width: Math.round(o.width * o.scale), height: Math.round(o.height * o.scale), zoom: o.scale }, async (win) => {
        let image = await win.webContents.capturePage()
        const want = { width: Math.round(o.width * o.scale), height: Math.round(o.height * o.scale) }
        // A HiDPI display captures at its own factor: bring the image to the pixels asked for.
        if (image.getSize().width !== want.width || image.getSize().height !== want.height) image = image.resize(want)
        return o.type === 'png' ? image.toPNG() : image.toJPEG(92)
      }),
    close: async () => undefined,
  }
}
