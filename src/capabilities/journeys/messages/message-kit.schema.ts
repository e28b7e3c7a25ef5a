// How the journey messages a force starts with are written down: each key once, with its email
// (subject and body) and its text message, in English and Welsh. The greeting, the sign-off and
// the case reference are added here, so every message ends the same way; what is stored is the
// whole text, which the force may then edit.

/** The placeholders a journey message may use; the journey fills each from the case and milestone. */
export const JOURNEY_PLACEHOLDERS = [
  'name',
  'reference',
  'caseReference',
  'forceName',
  'officerName',
  'team',
  'date',
  'time',
  'place',
  'outcome',
  'reason',
  'note',
  'crimeType',
] as const;
export type JourneyPlaceholder = (typeof JOURNEY_PLACEHOLDERS)[number];

type Text = { subject: string; body: string };

/** A template as a force starts with it: one key, channel and language. */
export type DefaultTemplate = { key: string; channel: 'email' | 'sms'; locale: 'en' | 'cy'; subject: string; body: string };

/** One journey message in both languages, for email and text message. */
export type JourneyMessage = {
  key: string;
  /** What it is for, as force admins see it in the template list. */
  purpose: string;
  email: { en: Text; cy: Text };
  sms: { en: string; cy: string };
};

type Written = { en: [subject: string, body: string]; cy: [subject: string, body: string]; smsEn: string; smsCy: string };

/** A journey message from its words: the email's subject and middle, and the text message's middle. */
export function journeyMessage(key: string, purpose: string, words: Written): JourneyMessage {
  return {
    key,
    purpose,
    email: {
      en: { subject: words.en[0], body: `Hello {{name}},\n\n${words.en[1]}\n\n{{forceName}}\nCase reference: {{caseReference}}\n\nIf you are in danger now, call 999.` },
      cy: { subject: words.cy[0], body: `Annwyl {{name}},\n\n${words.cy[1]}\n\n{{forceName}}\nCyfeirnod yr achos: {{caseReference}}\n\nOs ydych mewn perygl nawr, ffoniwch 999.` },
    },
    sms: { en: `{{forceName}}: ${words.smsEn} Ref {{caseReference}}`, cy: `{{forceName}}: ${words.smsCy} Cyf {{caseReference}}` },
  };
}
