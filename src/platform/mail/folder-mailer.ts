import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Transporter } from 'nodemailer';
import { loadNodemailer, messageOptions, type Mailer } from './mailer.ts';

// Outside production, with no SMTP server, email can be written to a folder instead of held: one
// `.eml` file a message, readable by any mail program or text editor, so that someone trying the
// product can follow a one-time code or a victim update to its end (decision 0131). Production
// never writes mail to a folder: there email is sent or held.

/** A message's file name, from its Message-ID: the same message sent again (after a crash) is the same file. */
export function mailFileName(messageId: string): string {
  const bare = messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9._@-]/g, '_').slice(0, 200);
  return `${bare || 'message'}.eml`;
}

/**
 * A mailer that writes each message, as it would go by SMTP (headers and text), into `folder`,
 * made when first needed. A file appears whole or not at all (written beside it, then renamed).
 */
export function createFolderMailer(folder: string): Mailer {
  // Made by the first message written, when nodemailer is loaded (decision 0148).
  let builder: Transporter | null = null;
  return {
    async send(mail) {
      builder ??= (await loadNodemailer()).createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
      const built = await builder.sendMail(messageOptions(mail));
      await mkdir(folder, { recursive: true });
      const file = path.join(folder, mailFileName(mail.messageId));
      const partial = `${file}.${process.pid}.partial`;
      await writeFile(partial, built.message as Buffer, { mode: 0o600 });
      await rename(partial, file);
    },
    close() {},
  };
}
