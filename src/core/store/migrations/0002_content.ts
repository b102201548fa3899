// Stored text, for runs imported under the `redacted` or `full` content policy (never under
// `none`, the default). Deleting a run deletes its text (and the core then VACUUMs the file).
export default /* sql */ `
CREATE TABLE span_content (
  run_id  TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  -- The span the text belongs to; for part 'prompt', the id of the user.prompt event.
  span_id TEXT NOT NULL,
  part    TEXT NOT NULL CHECK (part IN ('input', 'output', 'prompt')),
  -- One span's text can come in pieces (one per transcript line and block): seq names the
  -- piece, so importing the same lines again does not repeat it.
  seq     TEXT NOT NULL DEFAULT '',
  ts      INTEGER,
  text    TEXT NOT NULL,
  -- The policy this piece was stored under: 'redacted' (secrets and personal paths replaced) or 'full'.
  policy  TEXT NOT NULL CHECK (policy IN ('redacted', 'full')),
  UNIQUE (run_id, span_id, part, seq)
);

-- The most permissive content policy each file was read under: asking for more text than
-- that (e.g. --content redacted after a default import) reads the file again from its start.
ALTER TABLE imported_files ADD COLUMN content_policy TEXT NOT NULL DEFAULT 'none';
`
