import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

// A real SMTP server for the scheduled-report tests, and the MIME reading they need.

/** A real SMTP server on a free port that keeps every message it is given. */
export async function smtpServer() {
  const messages: Buffer[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, done) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        messages.push(Buffer.concat(chunks))
        done()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { messages, port: (server.server.address() as AddressInfo).port, close: () => new Promise<void>((r) => server.close(() => r())) }
}

/** The attachments of a multipart MIME message, decoded. */
export function attachments(raw: string): { filename: string; type: string; bytes: Buffer }[] {
  const boundary = /boundary="?([^";\r\n]+)"?/.exec(raw)?.[1]
  if (!boundary) throw new Error('not a multipart message')
  return raw.split(`--${boundary}`).flatMap((part) => {
    const [head, ...body] = part.split('\r\n\r\n')
    if (!/Content-Disposition: attachment/i.test(head)) return []
    return [{ filename: /filename="?([^";\r\n]+)"?/.exec(head)?.[1] ?? '', type: /Content-Type: ([^;\r\n]+)/i.exec(head)?.[1] ?? '', bytes: Buffer.from(body.join('\r\n\r\n').replace(/\s+/g, ''), 'base64') }]
  })
}
