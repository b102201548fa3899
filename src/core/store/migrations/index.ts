import m0001 from './0001_initial'
import m0002 from './0002_content'
import m0003 from './0003_reports'
import m0004 from './0004_metric_value_index'
import m0005 from './0005_imported_files_state'
import m0006 from './0006_schedule_anonymize'
import m0007 from './0007_reprice_exact_models'
import m0008 from './0008_imported_files_tail'

// Numbered, append-only. Never edit an applied migration: its hash is stored and a changed
// file stops start-up (see migrate.ts). Add a new numbered file instead.
export const migrations: ReadonlyArray<{ id: number; name: string; sql: string }> = [
  { id: 1, name: '0001_initial', sql: m0001 },
  { id: 2, name: '0002_content', sql: m0002 },
  { id: 3, name: '0003_reports', sql: m0003 },
  { id: 4, name: '0004_metric_value_index', sql: m0004 },
  { id: 5, name: '0005_imported_files_state', sql: m0005 },
  { id: 6, name: '0006_schedule_anonymize', sql: m0006 },
  { id: 7, name: '0007_reprice_exact_models', sql: m0007 },
  { id: 8, name: '0008_imported_files_tail', sql: m0008 },
]
