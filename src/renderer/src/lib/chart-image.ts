import { SVGRenderer } from 'echarts/renderers'
import { echarts, type ChartOption } from '../charts/echarts'
import { withTheme } from '../charts/EChart'
import type { ChartTheme } from '../charts/theme'

// Renders a chart again off screen at the size asked for: PNG and JPEG from the canvas renderer
// (`getDataURL` with the scale as pixel ratio, so the file is width×scale by height×scale), SVG
// from the SVG renderer. Animation is off so the picture is final when taken.

export type ImageType = 'png' | 'jpeg' | 'svg'

// Here rather than with the other ECharts parts: only exports draw SVG (see charts/echarts.ts).
echarts.use([SVGRenderer])

export function renderChartImage(option: ChartOption, theme: ChartTheme, o: { type: ImageType; width: number; height: number; scale: number }): string {
  const div = document.createElement('div')
  div.style.cssText = `position:fixed;left:-20000px;top:0;width:${o.width}px;height:${o.height}px`
  document.body.appendChild(div)
  const chart = echarts.init(div, null, { renderer: o.type === 'svg' ? 'svg' : 'canvas', width: o.width, height: o.height, devicePixelRatio: o.scale })
  try {
    const themed = withTheme(option, theme) as Record<string, unknown>
    // Sliders are for people at the screen, not for a picture.
    chart.setOption({ ...themed, animation: false, backgroundColor: theme.panel, dataZoom: (themed.dataZoom as { type: string }[] | undefined)?.filter((z) => z.type === 'inside') })
    if (o.type === 'svg') return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(chart.renderToSVGString())}`
    return chart.getDataURL({ type: o.type, pixelRatio: o.scale, backgroundColor: theme.panel })
  } finally {
    chart.dispose()
    div.remove()
  }
}

/** Several charts on one canvas, two per row, each under its title: the dashboard as one picture. */
export async function composeCharts(charts: { title: string; option: ChartOption }[], theme: ChartTheme, o: { type: 'png' | 'jpeg'; width: number; scale: number; heading: string }): Promise<Blob> {
  const cols = 2
  const cellW = Math.floor(o.width / cols)
  const cellH = Math.round(cellW * 0.6)
  const head = 48
  const rows = Math.ceil(charts.length / cols)
  const canvas = document.createElement('canvas')
  canvas.width = o.width * o.scale
  canvas.height = (head + rows * (cellH + 28)) * o.scale
  const ctx = canvas.getContext('2d')!
  ctx.scale(o.scale, o.scale)
  ctx.fillStyle = theme.panel
  ctx.fillRect(0, 0, o.width, head + rows * (cellH + 28))
  ctx.fillStyle = theme.text
  ctx.font = '600 20px system-ui, sans-serif'
  ctx.fillText(o.heading, 16, 32)
  for (let i = 0; i < charts.length; i++) {
    const x = (i % cols) * cellW
    const y = head + Math.floor(i / cols) * (cellH + 28)
    ctx.fillStyle = theme.text
    ctx.font = '600 14px system-ui, sans-serif'
    ctx.fillText(charts[i].title, x + 16, y + 18)
    const url = renderChartImage(charts[i].option, theme, { type: 'png', width: cellW, height: cellH, scale: o.scale })
    const img = new Image()
    img.src = url
    await img.decode()
    ctx.drawImage(img, x, y + 24, cellW, cellH)
  }
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('canvas export failed'))), `image/${o.type}`, 0.92))
}
