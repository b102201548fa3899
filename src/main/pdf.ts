import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BrowserWindow, session } from 'electron'
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

/** Renders HTML to PDF bytes; the temporary file and window are gone when the promise settles. */
export async function printHtmlToPdf(html: string, o: PdfOptions = {}): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'swarmscope-pdf-'))
  const file = join(dir, 'report.html')
  writeFileSync(file, html)
  const win = new BrowserWindow({ show: false, width: 1200, height: 1600, webPreferences: { ...webPreferences(), session: pdfSession() } })
  try {
    await win.loadFile(file)
    return await win.webContents.printToPDF({ printBackground: true, pageSize: o.pageSize ?? 'A4', landscape: o.landscape ?? false, generateDocumentOutline: true })
  } finally {
    win.destroy()
    rmSync(dir, { recursive: true, force: true })
  }
}
