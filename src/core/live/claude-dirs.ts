import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

/**
 * The folders Claude Code writes its transcripts to (`<dir>/<project>/<session>.jsonl`):
 * - `$CLAUDE_CONFIG_DIR/projects` when that is set; like ccusage, several directories may be
 *   given, comma-separated (several installations, an archive);
 * - otherwise `~/.claude/projects`, and `$XDG_CONFIG_HOME/claude/projects` (by default
 *   `~/.config/claude/projects`) if it exists: Claude Code 1.0.30 wrote there while
 *   XDG_CONFIG_HOME was set, a change it later took back, and its transcripts stayed there.
 * `~/.claude/projects` is named even before it exists, so that a tail picks it up once created.
 */
export function claudeProjectsDirs(env: NodeJS.ProcessEnv = process.env, home = homedir()): string[] {
  const configured = (env.CLAUDE_CONFIG_DIR ?? '').split(',').map((d) => d.trim()).filter(Boolean)
  if (configured.length > 0) return configured.map((d) => join(d, 'projects'))
  const xdg = join(env.XDG_CONFIG_HOME?.trim() || join(home, '.config'), 'claude', 'projects')
  return [join(home, '.claude', 'projects'), ...(existsSync(xdg) ? [xdg] : [])]
}
