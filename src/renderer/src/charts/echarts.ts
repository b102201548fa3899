import * as echarts from 'echarts/core'
import { BarChart, CustomChart, GaugeChart, HeatmapChart, LineChart, LinesChart, PieChart, ScatterChart } from 'echarts/charts'
import {
  DataZoomComponent, DatasetComponent, GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, MarkPointComponent,
  TitleComponent, TooltipComponent, VisualMapComponent,
} from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

// The one place ECharts is configured: the eight chart types the app draws (plus the lines and
// custom series of the timeline) and the canvas renderer. The SVG renderer, for SVG export
// only, is added by the export code (lib/chart-image.ts), which loads with the export dialog.
echarts.use([
  LineChart, BarChart, ScatterChart, PieChart, HeatmapChart, GaugeChart, CustomChart, LinesChart,
  GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, VisualMapComponent, MarkLineComponent, MarkPointComponent,
  MarkAreaComponent, DatasetComponent, TitleComponent, CanvasRenderer,
])

export { echarts }
export type { EChartsCoreOption as ChartOption, ECharts } from 'echarts/core'
