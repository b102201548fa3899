// Prices now match model ids exactly (with their snapshot dates), no longer as prefixes: under
// prefixes `claude-opus-4-6` got `claude-opus-4`'s prices. Costs stored before this are marked
// to be repriced once, by the core at start (pricing/reprice-pending.ts): SQL alone cannot
// tell which costs the old rule gave.
export default /* sql */ `
CREATE TABLE pending_reprice (
  reason   TEXT PRIMARY KEY,
  added_at INTEGER NOT NULL
);
INSERT INTO pending_reprice (reason, added_at) VALUES ('exact-model-match', CAST(strftime('%s', 'now') AS INTEGER) * 1000);
`
