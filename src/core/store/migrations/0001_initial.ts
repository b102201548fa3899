// Initial schema. Times are integer milliseconds since the epoch (UTC); tokens are integers;
// attributes that vary by source live in JSON columns rather than sparse columns.
export default /* sql */ `
CREATE TABLE runs (
  id              TEXT PRIMARY KEY,
  source          TEXT NOT NULL,            -- claude-code | claude-flow | otlp | ndjson | live
  format          TEXT NOT NULL,            -- the sniffed file format
  name            TEXT NOT NULL,
  group_name      TEXT,
  content_policy  TEXT NOT NULL DEFAULT 'none',
  attrs           TEXT NOT NULL DEFAULT '{}',
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  -- Summary columns, recomputed from the rows below after every write to the run, so that
  -- listing 10k runs does not aggregate millions of spans.
  started_at      INTEGER,
  ended_at        INTEGER,
  agents          INTEGER NOT NULL DEFAULT 0,
  spans           INTEGER NOT NULL DEFAULT 0,
  llm_calls       INTEGER NOT NULL DEFAULT 0,
  tool_calls      INTEGER NOT NULL DEFAULT 0,
  errors          INTEGER NOT NULL DEFAULT 0,
  metric_samples  INTEGER NOT NULL DEFAULT 0,
  events          INTEGER NOT NULL DEFAULT 0,
  input_tokens    INTEGER NOT NULL DEFAULT 0,
  output_tokens   INTEGER NOT NULL DEFAULT 0,
  cache_creation_tokens INTEGER NOT NULL DEFAULT 0,
  cache_read_tokens     INTEGER NOT NULL DEFAULT 0,
  cost_usd        REAL NOT NULL DEFAULT 0,
  reported_cost_usd REAL,
  unpriced_models TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX runs_group ON runs(group_name);
CREATE INDEX runs_started ON runs(started_at);

CREATE TABLE run_tags (
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  key    TEXT NOT NULL,
  value  TEXT NOT NULL,
  PRIMARY KEY (run_id, key)
);

CREATE TABLE agents (
  run_id          TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  id              TEXT NOT NULL,
  name            TEXT NOT NULL,
  type            TEXT,
  parent_agent_id TEXT,
  parent_span_id  TEXT,
  attrs           TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (run_id, id)
);

CREATE TABLE spans (
  run_id           TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  id               TEXT NOT NULL,
  parent_id        TEXT,
  agent_id         TEXT,
  kind             TEXT NOT NULL CHECK (kind IN ('agent','llm','tool','task','other')),
  name             TEXT NOT NULL,
  start_ms         INTEGER,
  end_ms           INTEGER,
  status           TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok','error','unset')),
  error            TEXT,
  model            TEXT,
  input_tokens     INTEGER,
  output_tokens    INTEGER,
  cache_creation_tokens INTEGER,
  cache_creation_5m_tokens INTEGER,
  cache_creation_1h_tokens INTEGER,
  cache_read_tokens INTEGER,
  cost_usd         REAL,
  reported_cost_usd REAL,
  attrs            TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (run_id, id)
) WITHOUT ROWID;
CREATE INDEX spans_run_start ON spans(run_id, start_ms);

CREATE TABLE metric_samples (
  run_id   TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  name     TEXT NOT NULL,
  unit     TEXT,
  ts       INTEGER NOT NULL,
  value    REAL NOT NULL,
  labels   TEXT NOT NULL DEFAULT '{}',
  -- 1 when the value is what the producing tool claims (e.g. claude-flow's constants), not a measurement.
  reported INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, name, labels, ts)
) WITHOUT ROWID;

CREATE TABLE events (
  run_id   TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  id       TEXT NOT NULL,
  ts       INTEGER NOT NULL,
  name     TEXT NOT NULL,
  severity TEXT,
  agent_id TEXT,
  attrs    TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (run_id, id)
) WITHOUT ROWID;

-- What was read from each input file, so a grown transcript is resumed, not re-read.
CREATE TABLE imported_files (
  path        TEXT PRIMARY KEY,
  format      TEXT NOT NULL,
  size        INTEGER NOT NULL,
  mtime_ms    INTEGER NOT NULL,
  head_hash   TEXT NOT NULL,
  offset      INTEGER NOT NULL,
  lines       INTEGER NOT NULL,
  resume      TEXT NOT NULL DEFAULT '{}',
  imported_at INTEGER NOT NULL
);

-- Which runs each file fed: deleting a run forgets its files, so importing them again re-creates it.
CREATE TABLE file_runs (
  path   TEXT NOT NULL REFERENCES imported_files(path) ON DELETE CASCADE,
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  PRIMARY KEY (path, run_id)
) WITHOUT ROWID;
`
