import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { RenderedFile, RenderResult } from '../../../shared/routes/reports'
import { CoreError } from '../../../shared/result'
import type { ScheduleRow } from './store'

// Delivery of one scheduled report: written into the schedule's folder and/or emailed through
// SMTP (nodemailer) with the report attached, byte for byte what was written.

export const bytesOf = (f: RenderedFile) => Buffer.from(f.content, f.encoding === 'base64' ? 'base64' : 'utf8')

/** Writes the report and any side files (Markdown chart SVGs); returns the main file's path. */
export function writeReport(dir: string, baseName: string, r: RenderResult): string {
  mkdirSync(dir, { recursive: true })
  const main = join(dir, `${baseName}.${r.format}`)
  writeFileSync(main, bytesOf(r))
  for (const f of r.files) {
    const p = join(dir, f.name)
    mkdirSync(dirname(p), { recursive: true })
    writeFileSync(p, bytesOf(f))
  }
  return main
}

export async function emailReport(s: ScheduleRow, fileName: string, r: RenderResult, dueAt: Date, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const to = JSON.parse(s.email_to) as string[]
  if (to.length === 0) return []
  const url = s.smtp_url ?? env.SWARMSCOPE_SMTP_URL
  if (!url) throw new CoreError('bad_request', `schedule ${s.name} emails ${to.join(', ')} but has no SMTP server: add one (--smtp smtp://user:pass@host:587) or set SWARMSCOPE_SMTP_URL`)
  const { createTransport } = await import('nodemailer')
  const transport = createTransport(url)
  try {
    await transport.sendMail({
      from: s.email_from ?? env.SWARMSCOPE_SMTP_FROM ?? 'Swarmscope <swarmscope@localhost>',
      to,
      subject: `Swarmscope report: ${s.name}`,
      // The target names a real run or group: an anonymized report's email must not say it.
      text: `The scheduled report "${s.name}" (${s.anonymize ? 'anonymized' : s.target}, due ${dueAt.toISOString()}) is attached as ${fileName}.\n`,
      attachments: [
        { filename: fileName, content: bytesOf(r), contentType: r.mimeType },
        ...r.files.map((f) => ({ filename: f.name.split('/').pop() as string, content: bytesOf(f), contentType: f.mimeType })),
      ],
    })
  } finally {
    transport.close()
  }
  return to
}
