import { VERSION } from '../../shared/version'
import { deleteRun, getRun, listRuns, storedRuns, renameRun, runContent, runOverview, runTotals, tagRun } from '../queries/runs'
import type { CoreContext, HandlersFor } from './types'

export const systemHandlers = ({ store }: CoreContext): HandlersFor<'system'> => ({
  'system.health': () => ({
    version: VERSION,
    dbPath: store.path,
    schemaVersion: store.schemaVersion,
    runs: (store.read.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n,
  }),
})

export const runsHandlers = ({ store, writes, emit }: CoreContext): HandlersFor<'runs'> => ({
  'runs.list': (i) => listRuns(store.read, i),
  'runs.totals': (i) => runTotals(store.read, i),
  'runs.get': (i) => getRun(store.read, i.id),
  'runs.byIds': (i) => storedRuns(store.read, i.ids),
  'runs.overview': (i) => runOverview(store.read, i.id, i.maxPoints),
  'runs.rename': (i) => writes.run(() => renameRun(store.write, i.id, i.name)),
  'runs.tag': (i) => writes.run(() => tagRun(store.write, i.id, i.tags, i.group)),
  'runs.delete': async (i) => {
    const deleted = await writes.run(() => deleteRun(store.write, i.id))
    emit('runs.changed', { runIds: [i.id] })
    return { deleted }
  },
  'runs.content': (i) => runContent(store.read, i.id, i.spanId),
})
