// `npm run icons`: renders resources/icon.svg, the one source image, to every PNG the
// installers need, with puppeteer-core driving the system Chromium (no browser download):
//   resources/icon.png             1024 px: electron-builder derives macOS .icns and Windows .ico from it
//   resources/icons/<N>x<N>.png    Linux hicolor sizes (AppImage, deb, rpm) and the window icon
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import puppeteer from 'puppeteer-core'
import { CHROMIUM_HINT, findChromium } from '../src/core/platform/chromium'

const ROOT = new URL('..', import.meta.url).pathname
export const ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024]

const chrome = findChromium()
if (!chrome) {
  console.error(`make-icons: no Chromium found; ${CHROMIUM_HINT}`)
  process.exit(1)
}
const svg = readFileSync(join(ROOT, 'resources/icon.svg'))
const src = `data:image/svg+xml;base64,${svg.toString('base64')}`
mkdirSync(join(ROOT, 'resources/icons'), { recursive: true })

const browser = await puppeteer.launch({ executablePath: chrome, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] })
try {
  const page = await browser.newPage()
  for (const size of ICON_SIZES) {
    await page.setViewport({ width: size, height: size, deviceScaleFactor: 1 })
    // Drawn at the target size (not scaled down from 1024), so small icons stay sharp.
    await page.setContent(`<html><body style="margin:0;background:transparent"><img id="i" src="${src}" width="${size}" height="${size}"></body></html>`)
    await page.evaluate(() => (document.getElementById('i') as HTMLImageElement).decode())
    const png = await page.screenshot({ type: 'png', omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } })
    writeFileSync(join(ROOT, `resources/icons/${size}x${size}.png`), png)
    if (size === 1024) writeFileSync(join(ROOT, 'resources/icon.png'), png)
  }
  console.log(`wrote resources/icon.png and resources/icons/{${ICON_SIZES.join(',')}}x….png from resources/icon.svg`)
} finally {
  await browser.close()
}
