import { readFileSync } from 'node:fs'
import { decodeUtf16, startsUtf16, withoutBom } from './bom'

/**
 * JSON documents (an OTLP request body saved as a file, claude-flow's JSON files) are read whole
 * and parsed at once, where line formats stream. Parsing takes several times the text in memory
 * (a 128 MB OTLP document peaked at 876 MB RSS), and past ~512 MB V8 cannot hold the text at
 * all: a 580 MB document ended the whole import, every other file of it unread, with a bare
 * "Cannot create a string longer than 0x1fffffe8 characters". Past this size the file is
 * listed as skipped instead, and the rest imports.
 */
export const MAX_JSON_DOCUMENT_BYTES = 256 * 1024 * 1024

/** The file's text, or why it is not read. */
export function readJsonDocument(path: string, size: number): { text: string } | { tooLarge: string } {
  if (size > MAX_JSON_DOCUMENT_BYTES) {
    const mb = (n: number) => Math.round(n / 1024 / 1024)
    return { tooLarge: `too large to read as one JSON document (${mb(size)} MB; at most ${mb(MAX_JSON_DOCUMENT_BYTES)} MB)` }
  }
  const bytes = readFileSync(path)
  return { text: startsUtf16(bytes) ? decodeUtf16(bytes) : withoutBom(bytes.toString('utf8')) }
}
