import { journeyTemplateRows } from './journey-messages.schema.ts';
import type { DefaultTemplate } from './messages/message-kit.schema.ts';

// The message templates every force starts with, one per key, channel and language. Every key is
// written in English and Welsh (a test checks both exist); the person's language chooses, and a
// force may edit its copies. Placeholders are `{{name}}`; output is plain text.

export type { DefaultTemplate } from './messages/message-kit.schema.ts';

/** The languages every outbound message is written in. */
export const TEMPLATE_LOCALES = ['en', 'cy'] as const;
export type TemplateLocale = (typeof TEMPLATE_LOCALES)[number];

/** A person's language as a template locale: Welsh for `cy` (and `cy-GB`), English otherwise. */
export function templateLocaleOf(language: string | null | undefined): TemplateLocale {
  return typeof language === 'string' && /^cy\b/i.test(language) ? 'cy' : 'en';
}

/** How a message greets someone whose name we do not know: "Hello there", "Annwyl chi". */
export const UNNAMED: Record<TemplateLocale, string> = { en: 'there', cy: 'chi' };

const CONTACT_TEMPLATES: readonly DefaultTemplate[] = [
  {
    key: 'contact.acknowledgement',
    channel: 'email',
    locale: 'en',
    subject: 'We have received your report: {{reference}}',
    body:
      'Hello {{name}},\n\nThank you for contacting {{forceName}}. We have received your report and your reference ' +
      'number is {{reference}}.\n\nKeep your reference number. You will need it to check on your report, or if you ' +
      'contact us again about the same thing.\n\n{{forceName}}\n\nIf you are in danger now, call 999.',
  },
  {
    key: 'contact.acknowledgement',
    channel: 'email',
    locale: 'cy',
    subject: 'Rydym wedi cael eich adroddiad: {{reference}}',
    body:
      'Annwyl {{name}},\n\nDiolch am gysylltu â {{forceName}}. Rydym wedi cael eich adroddiad a’ch cyfeirnod yw ' +
      '{{reference}}.\n\nCadwch eich cyfeirnod. Bydd ei angen arnoch i wirio eich adroddiad, neu os byddwch yn ' +
      'cysylltu â ni eto am yr un peth.\n\n{{forceName}}\n\nOs ydych mewn perygl nawr, ffoniwch 999.',
  },
  {
    key: 'contact.acknowledgement',
    channel: 'sms',
    locale: 'en',
    subject: '',
    body: '{{forceName}}: we have received your message. Your reference is {{reference}}; keep it if you contact us again about this. In an emergency call 999.',
  },
  {
    key: 'contact.acknowledgement',
    channel: 'sms',
    locale: 'cy',
    subject: '',
    body: '{{forceName}}: rydym wedi cael eich neges. Eich cyfeirnod yw {{reference}}; cadwch ef os byddwch yn cysylltu â ni eto am hyn. Mewn argyfwng ffoniwch 999.',
  },
  {
    key: 'contact.reply',
    channel: 'email',
    locale: 'en',
    subject: 'About your report {{reference}}',
    body: 'Hello {{name}},\n\n{{body}}\n\n{{forceName}}\nPlease quote {{reference}} if you contact us.',
  },
  {
    key: 'contact.reply',
    channel: 'email',
    locale: 'cy',
    subject: 'Ynglŷn â’ch adroddiad {{reference}}',
    body: 'Annwyl {{name}},\n\n{{body}}\n\n{{forceName}}\nNodwch {{reference}} os byddwch yn cysylltu â ni.',
  },
  {
    key: 'portal.access_code',
    channel: 'email',
    locale: 'en',
    subject: 'Your code to check report {{reference}}',
    body:
      'Your code to check report {{reference}} is {{code}}.\n\nIt expires in 15 minutes. If you did not ask ' +
      'for it, you can ignore this email.\n\n{{forceName}}',
  },
  {
    key: 'portal.access_code',
    channel: 'email',
    locale: 'cy',
    subject: 'Eich cod i wirio adroddiad {{reference}}',
    body:
      'Eich cod i wirio adroddiad {{reference}} yw {{code}}.\n\nMae’n dod i ben ymhen 15 munud. Os na wnaethoch ' +
      'ofyn amdano, gallwch anwybyddu’r e-bost hwn.\n\n{{forceName}}',
  },
  // The same code by text, for someone who gave a phone number and no email address. Short (one
  // SMS part in English), and saying to ignore it when it was not asked for: anyone can type a reference.
  {
    key: 'portal.access_code',
    channel: 'sms',
    locale: 'en',
    subject: '',
    body: '{{forceName}}: your code to check {{reference}} is {{code}}. It expires in 15 minutes. If you did not ask for it, ignore this text.',
  },
  {
    key: 'portal.access_code',
    channel: 'sms',
    locale: 'cy',
    subject: '',
    body: '{{forceName}}: eich cod i wirio {{reference}} yw {{code}}. Mae’n dod i ben ymhen 15 munud. Os na wnaethoch ofyn amdano, anwybyddwch y neges hon.',
  },
];

/** Every template a force starts with: contact replies and codes here, journey messages from journey-messages.schema.ts. */
export const DEFAULT_TEMPLATES: readonly DefaultTemplate[] = [...CONTACT_TEMPLATES, ...journeyTemplateRows()];
