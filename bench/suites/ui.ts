import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Page } from '@playwright/test'
import { findChromium } from '../../src/core/platform/chromium'
import { openStore } from '../../src/core/store/open'
import { refreshRunStats } from '../../src/core/store/run-stats'
import { writeBigRun } from '../corpus/big-run'
import { median, round } from '../lib/measure'

// UI benchmark (issue 5), in Chromium driven by Playwright against the real `swarmscope serve`:
//  - the run dashboard of a 100 k-span run (goal: interactive in < 1 s), in a 1400×900 window,
//    from navigation (performance.now() of the page) to:
//      visibleDrawnMs  every widget in the viewport has drawn (its chart's data-ready="1"; a widget
//                      without a chart has no loading placeholder left);
//      interactiveMs   then the first moment the main thread answers within 50 ms: a
//                      requestAnimationFrame probe, repeated until one is answered in ≤ 50 ms (no
//                      long task in the way) — the goal's "interactive";
//      allDrawnMs      all ten charts drawn: widgets below the fold draw once scrolled into view,
//                      so each chart still waiting is scrolled into view in turn (no pause);
//    the median of three visits, and the first visit on its own (before the core has cached the
//    run's aggregates and series, in a browser that has never loaded the app: nothing compiled or
//    cached); then three visits each after a restart of the host (a fresh core: nothing cached)
//    in the browser that has loaded the app before, as when a run is opened for the first time
//    in a running app (firstVisitWarmBrowser, the median); and a new user's first open: a fresh
//    browser context and core, the library shown, then the run's row clicked (newUserFromLibrary);
//  - a 1 M-point line chart, first render (goal < 500 ms): the core downsamples per pixel and
//    the chart draws ~4 points per pixel;
//  - one zoom step of the timeline of that 100 k-span run, from the wheel event to the frame
//    drawn (goal < 50 ms).
// Each is reported beside plain ECharts doing the same job naively in the same browser and run.

const ROOT = new URL('../..', import.meta.url).pathname
const ECHARTS = createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js')
const REPS = 3

async function startHost(db: string, at: { port?: number; token?: string } = {}): Promise<{ url: string; origin: string; token: string; proc: ChildProcess }> {
  const token = at.token ?? `bench-${Date.now()}`
  const proc = spawn(process.execPath, [join(ROOT, 'bin/swarmscope.mjs'), 'serve', '--port', String(at.port ?? 0), '--no-open', '--db', db], { env: { ...process.env, SWARMSCOPE_TOKEN: token }, stdio: ['ignore', 'pipe', 'pipe'] })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    proc.stdout!.on('data', (d) => {
      out += String(d)
      const m = /running at (http:\/\/\S+)/.exec(out)
      if (m) resolve(m[1])
    })
    proc.on('exit', (c) => reject(new Error(`host exited ${c}: ${out}`)))
  })
  return { url, origin: new URL(url).origin, token, proc }
}

/** The same host started again at the same address: a fresh core (nothing cached), the browser's caches still valid. */
async function restartHost(db: string, host: Awaited<ReturnType<typeof startHost>>) {
  const exited = new Promise((r) => host.proc.once('exit', r))
  host.proc.kill('SIGTERM')
  await exited
  return startHost(db, { port: Number(new URL(host.origin).port), token: host.token })
}

/** 1 M LLM calls in one run, one after another: the series behind a 1 M-point line. */
function writeMillionCalls(db: import('better-sqlite3').Database, id: string): void {
  const t0 = 1_767_000_000_000
  db.prepare(`INSERT INTO runs (id, source, format, name, created_at, updated_at) VALUES (?, 'ndjson', 'bench', ?, ?, ?)`).run(id, '1 M LLM calls', t0, t0)
  db.prepare(`INSERT INTO agents (run_id, id, name) VALUES (?, 'main', 'main')`).run(id)
  const ins = db.prepare(`INSERT INTO spans (run_id, id, agent_id, kind, name, start_ms, end_ms, status, model, input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, cost_usd)
    VALUES (?, ?, 'main', 'llm', 'm', ?, ?, 'ok', 'm', ?, ?, 0, 0, 0.001)`)
  db.transaction(() => {
    let seed = 7
    for (let i = 0; i < 1_000_000; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      const start = t0 + i * 50
      ins.run(id, `l${i}`, start, start + 40 + (seed % 2000), 100 + (seed % 5000), seed % 700)
    }
    refreshRunStats(db, id)
  })()
}

async function dashboard(page: Page, url: string, runId: string, opts: { fromLibrary?: boolean } = {}) {
  await page.goto('about:blank')
  // From the library: the app is opened, its run list shown, and the run's row clicked a moment
  // later, as a new user does; times count from the click.
  let t0 = 0
  if (opts.fromLibrary) {
    await page.goto(`${url}#/`)
    const row = page.locator(`[data-run-id="${runId}"]`)
    await row.waitFor()
    await page.waitForTimeout(1000)
    t0 = await page.evaluate(() => performance.now())
    await row.click()
  } else await page.goto(`${url}#/run/${runId}`)
  const { visibleDrawnMs, interactiveMs } = await page.evaluate(async () => {
    const frame = () => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now())))
    const drawn = (w: Element) => (w.querySelector('.chart') ? w.querySelector('.chart[data-ready="1"]') !== null : w.querySelector('.loading') === null)
    const visibleDrawn = () => {
      const inView = [...document.querySelectorAll('[data-widget-id]')].filter((w) => {
        const r = w.getBoundingClientRect()
        return r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth
      })
      return inView.length > 0 && inView.every(drawn)
    }
    const deadline = performance.now() + 60_000
    while (!visibleDrawn()) {
      if (performance.now() > deadline) throw new Error('the widgets in view never drew')
      await frame()
    }
    const visibleDrawnMs = performance.now()
    for (;;) {
      const asked = performance.now()
      const answered = await frame()
      if (answered - asked <= 50) return { visibleDrawnMs, interactiveMs: answered }
    }
  })
  // Then every chart, scrolling each one still waiting into view, as a reader scrolling down would.
  const allDrawnMs = await page.evaluate(async () => {
    const deadline = performance.now() + 60_000
    for (;;) {
      const charts = [...document.querySelectorAll<HTMLElement>('.chart')]
      const waiting = charts.find((c) => c.dataset.ready !== '1')
      if (charts.length >= 10 && !waiting) return performance.now()
      if (performance.now() > deadline) throw new Error('not every chart drew')
      waiting?.scrollIntoView({ block: 'nearest' })
      await new Promise((r) => requestAnimationFrame(r))
    }
  })
  await page.waitForSelector('[data-testid="insights-panel"]', { timeout: 120_000 })
  const insightsMs = await page.evaluate(() => performance.now())
  return { visibleDrawnMs: visibleDrawnMs - t0, interactiveMs: interactiveMs - t0, allDrawnMs: allDrawnMs - t0, insightsMs: insightsMs - t0 }
}

/** Plain ECharts, given the run's raw per-call data, drawing the same time charts naively. */
async function dashboardReference(page: Page, origin: string, token: string, runId: string) {
  return page.evaluate(async ({ origin, token, runId }) => {
    const w = window as unknown as { echarts: { init(el: HTMLElement): { setOption(o: unknown): void; on(e: string, f: () => void): void; dispose(): void } } }
    const res = await fetch(`${origin}/api/v1/runs/${runId}/spans?width=8000&minPx=0.5&cap=200000`, { headers: { 'x-swarmscope-token': token } })
    const win = (await res.json()).data as { spans: { start: number[]; end: number[]; kind: number[] } }
    const t: number[] = []
    const lat: number[] = []
    win.spans.kind.forEach((k, i) => k === 1 && (t.push(win.spans.end[i]), lat.push(win.spans.end[i] - win.spans.start[i])))
    const started = performance.now()
    const charts = [0, 1, 2, 3].map(() => {
      const el = document.createElement('div')
      el.style.cssText = 'width:600px;height:300px'
      document.body.appendChild(el)
      return w.echarts.init(el)
    })
    const done = charts.map((c) => new Promise<void>((r) => c.on('finished', () => r())))
    let sum = 0
    charts[0].setOption({ animation: false, xAxis: { type: 'time' }, yAxis: {}, series: [{ type: 'line', showSymbol: false, data: t.map((x, i) => [x, lat[i]]) }] })
    charts[1].setOption({ animation: false, xAxis: { type: 'time' }, yAxis: {}, series: [{ type: 'line', showSymbol: false, areaStyle: {}, data: t.map((x, i) => [x, (sum += lat[i])]) }] })
    charts[2].setOption({ animation: false, xAxis: {}, yAxis: {}, series: [{ type: 'scatter', large: true, data: lat.map((x, i) => [x, i]) }] })
    charts[3].setOption({ animation: false, xAxis: { type: 'time' }, yAxis: {}, series: [{ type: 'bar', data: t.map((x, i) => [x, lat[i]]) }] })
    await Promise.all(done)
    const ms = performance.now() - started
    charts.forEach((c) => c.dispose())
    return { ms, points: t.length }
  }, { origin, token, runId })
}

/**
 * A 1 M-point line: ours (core per-pixel series, ~4 points a pixel) vs plain ECharts with every
 * point. Each repetition asks for another width, so the core's per-run cache never answers: this
 * is the first render of that series.
 */
async function millionLine(page: Page, origin: string, token: string, runId: string, width: number) {
  return page.evaluate(async ({ origin, token, runId, width }) => {
    const w = window as unknown as { echarts: { init(el: HTMLElement): { setOption(o: unknown): void; on(e: string, f: () => void): void; dispose(): void } } }
    const draw = async (option: unknown) => {
      const el = document.createElement('div')
      el.style.cssText = 'width:1200px;height:400px'
      document.body.appendChild(el)
      const c = w.echarts.init(el)
      const done = new Promise<void>((r) => c.on('finished', () => r()))
      const t = performance.now()
      c.setOption(option)
      await done
      const ms = performance.now() - t
      c.dispose()
      el.remove()
      return ms
    }
    // Ours: the request to the core included, then the M4 points.
    const t0 = performance.now()
    const res = await fetch(`${origin}/api/v1/runs/${runId}/series?metric=latency&width=${width}`, { headers: { 'x-swarmscope-token': token } })
    const s = (await res.json()).data as { t: number[]; first: number[]; last: number[]; min: number[]; max: number[]; count: number[]; bucketMs: number; points: number }
    const fetchMs = performance.now() - t0
    const pts: number[][] = []
    s.t.forEach((t, i) => {
      pts.push([t, s.first[i]])
      if (s.count[i] > 2) pts.push([t + s.bucketMs / 2, s.min[i]], [t + s.bucketMs / 2, s.max[i]])
      if (s.count[i] > 1) pts.push([t + s.bucketMs * 0.99, s.last[i]])
    })
    const oursRenderMs = await draw({ animation: false, xAxis: { type: 'time' }, yAxis: {}, series: [{ type: 'line', showSymbol: false, data: pts }] })
    // Reference: the same million points, as Float64Array columns of a dataset (the fastest plain way) and as [t, y] pairs.
    const n = s.points
    const xs = new Float64Array(n)
    const ys = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      xs[i] = 1_767_000_000_000 + i * 50
      ys[i] = 40 + ((i * 7919) % 2000)
    }
    const typedMs = await draw({ animation: false, dataset: { source: { t: xs, y: ys } }, xAxis: { type: 'time' }, yAxis: {}, series: [{ type: 'line', showSymbol: false, encode: { x: 't', y: 'y' } }] })
    const pairs = Array.from(xs, (x, i) => [x, ys[i]])
    const pairsMs = await draw({ animation: false, xAxis: { type: 'time' }, yAxis: {}, series: [{ type: 'line', showSymbol: false, data: pairs }] })
    return { points: n, drawnPoints: pts.length, fetchMs, oursRenderMs, oursTotalMs: fetchMs + oursRenderMs, typedArrayMs: typedMs, pairsMs }
  }, { origin, token, runId, width })
}

async function timelineZoom(page: Page, url: string, runId: string) {
  await page.goto('about:blank')
  await page.goto(`${url}#/run/${runId}/timeline`)
  await page.waitForSelector('[data-testid="chart-timeline"][data-ready="1"]', { timeout: 60_000 })
  const box = (await page.locator('[data-testid="chart-timeline"]').boundingBox())!
  const frames: number[] = []
  for (let i = 0; i < 6; i++) {
    await page.evaluate(() => performance.clearMeasures('timeline:zoom-frame'))
    await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.4)
    await page.mouse.wheel(0, i < 3 ? -300 : 300)
    await page.waitForFunction(() => performance.getEntriesByName('timeline:zoom-frame').length > 0, null, { timeout: 10_000 })
    frames.push(await page.evaluate(() => performance.getEntriesByName('timeline:zoom-frame')[0].duration))
    await page.waitForTimeout(400) // let the new window arrive before the next step
  }
  return frames
}

/** Plain ECharts: all 100 k spans in one custom series (progressive 0), one zoom step. */
async function timelineReference(page: Page, origin: string, token: string, runId: string) {
  return page.evaluate(async ({ origin, token, runId }) => {
    const w = window as unknown as { echarts: { init(el: HTMLElement): { setOption(o: unknown): void; on(e: string, f: () => void): void; dispatchAction(a: unknown): void; dispose(): void } } }
    const res = await fetch(`${origin}/api/v1/runs/${runId}/spans?width=8000&minPx=0.5&cap=200000`, { headers: { 'x-swarmscope-token': token } })
    const win = (await res.json()).data as { spans: { start: number[]; end: number[]; agent: number[] } }
    const data = win.spans.start.map((s, i) => [s, win.spans.end[i], win.spans.agent[i] + 1])
    const el = document.createElement('div')
    el.style.cssText = 'width:1200px;height:600px'
    document.body.appendChild(el)
    const c = w.echarts.init(el)
    const next = () => new Promise<void>((r) => c.on('finished', () => r()))
    let t = performance.now()
    let done = next()
    c.setOption({
      animation: false, xAxis: { type: 'value', scale: true }, yAxis: { type: 'value' }, dataZoom: [{ type: 'inside', filterMode: 'weakFilter' }],
      series: [{ type: 'custom', progressive: 0, encode: { x: [0, 1], y: 2 }, data, renderItem: (_p: unknown, api: { value(i: number): number; coord(p: number[]): number[] }) => {
        const a = api.coord([api.value(0), api.value(2)])
        const b = api.coord([api.value(1), api.value(2)])
        return { type: 'rect', shape: { x: a[0], y: a[1] - 4, width: Math.max(1, b[0] - a[0]), height: 8 }, style: { fill: '#2f6fde' } }
      } }],
    })
    await done
    const firstMs = performance.now() - t
    t = performance.now()
    done = next()
    c.dispatchAction({ type: 'dataZoom', start: 40, end: 60 })
    await done
    const zoomMs = performance.now() - t
    c.dispose()
    return { spans: data.length, firstRenderMs: firstMs, zoomFrameMs: zoomMs }
  }, { origin, token, runId })
}

export async function uiSuite(opts: { work: string }) {
  mkdirSync(opts.work, { recursive: true })
  const db = join(opts.work, 'ui.db')
  rmSync(db, { force: true })
  const store = openStore({ path: db })
  const spans100k = writeBigRun(store.write, { id: 'ui-100k', name: '100 k spans', spans: 100_000, subagents: 12 })
  writeMillionCalls(store.write, 'ui-1m')
  store.close()
  console.log(`ui: wrote a ${spans100k}-span run and a 1 M-call run`)

  let host = await startHost(db)
  const browser = await chromium.launch({ executablePath: findChromium() ?? undefined, args: ['--no-sandbox', '--disable-gpu'] })
  try {
    // Our pages keep their strict CSP; the reference pages get ECharts injected, which needs it bypassed.
    const ours = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage()
    // tsx names inner functions with a helper that does not exist in the page (see below).
    await ours.addInitScript('globalThis.__name = (f) => f')
    const refCtx = await browser.newContext({ viewport: { width: 1400, height: 900 }, bypassCSP: true })
    const ref = await refCtx.newPage()
    await ref.goto(`${host.url}#/settings`)
    await ref.addScriptTag({ path: ECHARTS })
    // tsx names inner functions with a helper that does not exist in the page.
    await ref.evaluate('globalThis.__name = (f) => f')

    const dash: Awaited<ReturnType<typeof dashboard>>[] = []
    const dashRef: Awaited<ReturnType<typeof dashboardReference>>[] = []
    for (let i = 0; i < REPS; i++) {
      dash.push(await dashboard(ours, host.url, 'ui-100k'))
      dashRef.push(await dashboardReference(ref, host.origin, host.token, 'ui-100k'))
    }
    const coldCore: Awaited<ReturnType<typeof dashboard>>[] = []
    for (let i = 0; i < REPS; i++) {
      await ours.goto('about:blank')
      host = await restartHost(db, host)
      coldCore.push(await dashboard(ours, host.url, 'ui-100k'))
    }
    // A new user: a browser that never loaded the app (fresh context: no HTTP or code cache) and a
    // fresh core, the library opened first and then the run's row clicked.
    const newUser: Awaited<ReturnType<typeof dashboard>>[] = []
    for (let i = 0; i < REPS; i++) {
      host = await restartHost(db, host)
      const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } })
      const page = await ctx.newPage()
      await page.addInitScript('globalThis.__name = (f) => f')
      newUser.push(await dashboard(page, host.url, 'ui-100k', { fromLibrary: true }))
      await ctx.close()
    }
    const line: Awaited<ReturnType<typeof millionLine>>[] = []
    for (let i = 0; i < REPS; i++) line.push(await millionLine(ref, host.origin, host.token, 'ui-1m', 1200 + i))
    const zoom = await timelineZoom(ours, host.url, 'ui-100k')
    const zoomRef = await timelineReference(ref, host.origin, host.token, 'ui-100k')

    const dr = median(dashRef.map((x) => x.ms))
    const l = (k: keyof (typeof line)[number]) => median(line.map((x) => x[k] as number))
    const z = median(zoom)
    const visit = (k: keyof (typeof dash)[number]) => Math.round(median(dash.map((x) => x[k])))
    const first = Object.fromEntries(Object.entries(dash[0]).map(([k, v]) => [k, Math.round(v)]))
    const coldCoreVisit = (k: keyof (typeof coldCore)[number]) => Math.round(median(coldCore.map((x) => x[k])))
    return {
      suite: 'ui',
      dashboard100k: {
        spans: spans100k,
        method: 'ms from navigation, 1400×900 window: visibleDrawnMs = every widget in view drawn; interactiveMs = then the first requestAnimationFrame answered within 50 ms; allDrawnMs = all 10 charts drawn, each one still waiting scrolled into view in turn (widgets below the fold draw when scrolled into view); insightsMs = the analysis listed. Median of 3 visits; firstVisit = before the core cached the run, in a browser that never loaded the app; firstVisitWarmBrowser = median of 3 visits each after a host restart (core caches empty) in the browser that loaded the app before; newUserFromLibrary = median of 3, each a fresh browser context (no HTTP or code cache) and a restarted host: the library opened, then the run\'s row clicked, ms from the click',
        interactiveMs: visit('interactiveMs'), visibleDrawnMs: visit('visibleDrawnMs'), allDrawnMs: visit('allDrawnMs'), insightsMs: visit('insightsMs'),
        firstVisit: first,
        firstVisitWarmBrowser: {
          interactiveMs: coldCoreVisit('interactiveMs'), visibleDrawnMs: coldCoreVisit('visibleDrawnMs'), allDrawnMs: coldCoreVisit('allDrawnMs'), insightsMs: coldCoreVisit('insightsMs'),
          each: { interactiveMs: coldCore.map((x) => Math.round(x.interactiveMs)), insightsMs: coldCore.map((x) => Math.round(x.insightsMs)) },
        },
        newUserFromLibrary: {
          interactiveMs: Math.round(median(newUser.map((x) => x.interactiveMs))), insightsMs: Math.round(median(newUser.map((x) => x.insightsMs))),
          each: { interactiveMs: newUser.map((x) => Math.round(x.interactiveMs)), allDrawnMs: newUser.map((x) => Math.round(x.allDrawnMs)) },
        },
        eachVisit: { interactiveMs: dash.map((x) => Math.round(x.interactiveMs)), allDrawnMs: dash.map((x) => Math.round(x.allDrawnMs)) },
        // The core caches the aggregates, series and analysis per run: later visits get them at once.
        reference: { what: 'plain ECharts, 4 time charts of every LLM call (data already in the page)', points: dashRef[0].points, ms: Math.round(dr) },
        allDrawnOverReference: round(visit('allDrawnMs') / dr), goal: 'interactiveMs < 1000',
      },
      lineChart1M: { points: line[0].points, drawnPoints: line[0].drawnPoints, oursRenderMs: round(l('oursRenderMs'), 1), oursWithCoreQueryMs: Math.round(l('oursTotalMs')), reference: { typedArrayDatasetMs: Math.round(l('typedArrayMs')), pairsMs: Math.round(l('pairsMs')) }, oursOverTypedArray: round(l('oursTotalMs') / l('typedArrayMs')), goal: '< 500 ms' },
      timelineZoom100k: { frameMs: { median: round(z, 1), max: round(Math.max(...zoom), 1), all: zoom.map((x) => round(x, 1)) }, reference: zoomRef, oursOverReference: round(z / zoomRef.zoomFrameMs), goal: '< 50 ms' },
    }
  } finally {
    await browser.close()
    host.proc.kill('SIGTERM')
  }
}
