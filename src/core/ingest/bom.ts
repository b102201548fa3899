// Byte order marks. Windows tools write one at the start of a text file: PowerShell's
// `Set-Content -Encoding UTF8` and `Out-File` in Windows PowerShell 5.1, Notepad before 2019.
// JSON.parse refuses a UTF-8 one, so an OTLP request saved that way was skipped whole, and a
// transcript or NDJSON file lost its first line (an NDJSON file was not even recognised).

/** The text without the UTF-8 byte order mark it starts with, if any (decoded, it is U+FEFF). */
export const withoutBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)

/** The length of the UTF-8 byte order mark the bytes start with: 3, or 0 without one. */
export const utf8BomLength = (bytes: Buffer) => (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0)

/** Whether a file starts with a UTF-16 byte order mark (PowerShell 5.1's `>` and `Out-File` write UTF-16LE). */
export const startsUtf16 = (head: Buffer) => head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))

/**
 * The text of bytes that start with a UTF-16 byte order mark, little- or big-endian. JSON
 * documents are read this way; formats read line by line take UTF-8 only (their offsets and
 * lines are bytes), and a UTF-16 file of theirs is refused with UTF16_REASON.
 */
export function decodeUtf16(bytes: Buffer): string {
  const body = bytes.subarray(2, bytes.length - (bytes.length % 2))
  if (bytes[0] === 0xff) return body.toString('utf16le')
  return Buffer.from(body).swap16().toString('utf16le')
}

export const UTF16_REASON =
  'UTF-16 text (as PowerShell 5.1 writes with > or Out-File); Swarmscope reads UTF-8: convert it, e.g. `iconv -f UTF-16 -t UTF-8 in > out`, or in PowerShell `Get-Content in | Set-Content -Encoding utf8 out`'
