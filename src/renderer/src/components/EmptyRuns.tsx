/** What to do when there is nothing to show yet. */
export function EmptyRuns() {
  return (
    <div className="empty" data-testid="empty-state">
      <h1>No runs yet</h1>
      <p>Drop a Claude Code transcript (<code>~/.claude/projects/&lt;project&gt;/&lt;session&gt;.jsonl</code>), a claude-flow folder, an OTLP JSON export or a Swarmscope NDJSON file anywhere on this window. Folders work too.</p>
      <p className="muted">Or from a terminal, every Claude Code session on this machine: <code>swarmscope import</code></p>
    </div>
  )
}
