import { claudeCodeFormat } from './claude-code/format'
import type { FormatImporter } from './formats'

/** Every supported format, most specific first. */
export const formats: FormatImporter[] = [claudeCodeFormat]
