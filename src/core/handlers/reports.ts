import { dirname, join } from 'node:path'
import { z } from 'zod'
import { REPORT_SCHEMA_VERSION, ReportModel } from '../../shared/report-model'
import { defaultDataDir } from '../platform/paths'
import { chartMetrics } from '../reports/charts/metrics'
import { renderReport } from '../reports/render'
import { runScheduleNow, tick } from '../reports/schedule/scheduler'
import { addSchedule, listSchedules, removeSchedule, scheduleHistory } from '../reports/schedule/store'
import { listTemplates, resolveTemplate, templateSource } from '../reports/templates/registry'
import { parseScope } from '../reports/scope'
import { CoreError } from '../../shared/result'
import { renderChartFile } from '../reports/visualize'
import { resolveRunId } from '../queries/runs'
import type { CoreContext, HandlersFor } from './types'

/** User templates live beside the database, in `templates/` (see docs/templates.md). */
export const templatesDirOf = (dbPath: string) => join(dbPath === ':memory:' ? defaultDataDir() : dirname(dbPath), 'templates')

export const reportsHandlers = ({ store, writes }: CoreContext): HandlersFor<'reports'> => {
  const deps = { store, writes, templatesDir: templatesDirOf(store.path) }
  return {
    'reports.templates': () => listTemplates(deps.templatesDir),
    'reports.templateSource': (i) => templateSource(i.id, deps.templatesDir),
    'reports.schema': () => ({ schemaVersion: REPORT_SCHEMA_VERSION, jsonSchema: z.toJSONSchema(ReportModel) as Record<string, unknown> }),
    'reports.render': (i) => renderReport(deps, i),
    'reports.chart': (i) => renderChartFile(store.read, i),
    'reports.chartMetrics': (i) => chartMetrics(store.read, resolveRunId(store.read, i.id)),
    'reports.schedules.list': () => listSchedules(store.read, Date.now()),
    'reports.schedules.add': (i) => {
      // A typo in the template or the target is refused now, not found at 8 a.m. tomorrow.
      if (i.template) resolveTemplate(i.template, deps.templatesDir)
      try {
        parseScope(store.read, i.target)
      } catch (e) {
        if (!(e instanceof CoreError && e.code === 'not_found')) throw e // a group may get its runs later
      }
      return writes.run(() => addSchedule(store.write, i, Date.now()))
    },
    'reports.schedules.remove': (i) => writes.run(() => ({ removed: removeSchedule(store.write, i.id) })),
    'reports.schedules.history': (i) => scheduleHistory(store.read, i.id, i.limit),
    'reports.schedules.tick': () => tick(deps),
    'reports.schedules.run': (i) => runScheduleNow(deps, i.id),
  }
}
