// Reports: a cache of rendered reports, and scheduled reports with the history of each
// occurrence (run, failed, or missed while the app was closed).
export default /* sql */ `
-- key = hash of everything the report reads (runs' rows, analysis and template versions, format).
CREATE TABLE report_cache (
  key        TEXT PRIMARY KEY,
  -- target + template + format: the slot a newer rendering replaces.
  slot       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  result     BLOB NOT NULL
);
CREATE INDEX report_cache_slot ON report_cache(slot);

-- Which runs a cached report read: deleting a run drops the reports that show it.
CREATE TABLE report_cache_runs (
  key    TEXT NOT NULL REFERENCES report_cache(key) ON DELETE CASCADE,
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  PRIMARY KEY (key, run_id)
) WITHOUT ROWID;
CREATE INDEX report_cache_runs_run ON report_cache_runs(run_id);
CREATE TRIGGER report_cache_drop_on_run_delete AFTER DELETE ON report_cache_runs
BEGIN
  DELETE FROM report_cache WHERE key = old.key;
END;

CREATE TABLE report_schedules (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  cron          TEXT NOT NULL,
  timezone      TEXT,
  target        TEXT NOT NULL,
  template      TEXT,
  format        TEXT NOT NULL,
  out_dir       TEXT,
  email_to      TEXT NOT NULL DEFAULT '[]',
  smtp_url      TEXT,
  email_from    TEXT,
  created_at    INTEGER NOT NULL,
  -- Occurrences up to here have been run, failed or recorded as missed.
  checked_until INTEGER NOT NULL
);

CREATE TABLE report_schedule_runs (
  schedule_id TEXT NOT NULL REFERENCES report_schedules(id) ON DELETE CASCADE,
  due_at      INTEGER NOT NULL,
  ran_at      INTEGER,
  status      TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'missed')),
  file        TEXT,
  emailed_to  TEXT NOT NULL DEFAULT '[]',
  message     TEXT,
  PRIMARY KEY (schedule_id, due_at, status)
);
`
