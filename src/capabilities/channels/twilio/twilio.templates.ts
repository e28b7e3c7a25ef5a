import { z } from 'zod';
import { ChannelSendError, type ConnectField, type OutboundMessage } from '../channel.ts';
import {
  SENT_AS_TEMPLATE,
  SENT_AS_TEMPLATE_NOTICE,
  WHATSAPP_TEMPLATE_MAX_CHARACTERS,
  WHATSAPP_WINDOW_CLOSED,
  asTemplateParameter,
  tooLongForTemplate,
  whatsAppWindowClosedAtProvider,
} from '../reply-window.ts';

/**
 * WhatsApp's customer service window on a Twilio number (decision 0097). Outside it WhatsApp
 * delivers only a template the force had approved, which Twilio sends by its Content SID
 * (`ContentSid`, `HX` and 32 hex digits) with `ContentVariables`, a JSON object of the template's
 * placeholders, instead of `Body`. The force approves its own English and Welsh templates: their
 * words are theirs; placeholder 1 carries either the reply itself or the contact's reference.
 */

/** Twilio's error for a free-form WhatsApp message outside the window, in a status callback or an API answer. */
export const TWILIO_WINDOW_CLOSED_CODE = '63016';
/** Twilio's error for content WhatsApp refuses: among its causes, a template longer than WhatsApp allows once filled in. */
export const TWILIO_INVALID_CONTENT_CODE = '63021';

const contentSid = z.string().regex(/^HX[0-9a-fA-F]{32}$/, 'must be a Twilio Content SID (HX followed by 32 hex digits)');

/** The settings of the number's WhatsApp templates, part of its configuration. */
export const whatsAppTemplateSettings = {
  /** The approved English (or bilingual) template sent outside the window; null: replies then fail with the reason. */
  whatsappTemplateSid: contentSid.nullable().default(null),
  /** The approved Welsh template, for people who write in Welsh. */
  whatsappTemplateSidWelsh: contentSid.nullable().default(null),
  /** What fills placeholder 1: the reply itself, or the contact's reference (the template's own words then say there is an update). */
  whatsappTemplateCarries: z.enum(['message', 'reference']).default('message'),
};

export const whatsAppTemplateFields: ConnectField[] = [
  {
    name: 'whatsappTemplateSid',
    label: 'WhatsApp template, English',
    kind: 'text',
    isOptional: true,
    hint: 'The Content SID (HX…) of a template WhatsApp approved, sent when the person has not written for 24 hours. Without one, such replies are not sent and staff are told why.',
  },
  { name: 'whatsappTemplateSidWelsh', label: 'WhatsApp template, Welsh', kind: 'text', isOptional: true, hint: 'The Content SID (HX…) of the approved Welsh template, for people who write in Welsh.' },
  {
    name: 'whatsappTemplateCarries',
    label: 'The templates’ placeholder {{1}}',
    kind: 'choice',
    isOptional: true,
    default: 'message',
    hint: 'What fills {{1}} in both templates.',
    options: [
      { value: 'message', label: 'The reply itself' },
      { value: 'reference', label: 'The contact’s reference (the template says there is an update and to reply)' },
    ],
  },
];

export type WhatsAppTemplateSettings = { whatsappTemplateSid: string | null; whatsappTemplateSidWelsh: string | null; whatsappTemplateCarries: 'message' | 'reference' };

/**
 * The template fields of a reply sent outside the window (replacing `Body`), in the person's
 * language where the number has that template, and what staff are told of it; throws the reason,
 * for good, when the number has no template.
 */
export function templateFieldsFor(message: OutboundMessage, settings: WhatsAppTemplateSettings): { fields: Record<string, string>; note: string } {
  const preferred = message.language === 'cy' ? [settings.whatsappTemplateSidWelsh, settings.whatsappTemplateSid] : [settings.whatsappTemplateSid, settings.whatsappTemplateSidWelsh];
  const sid = preferred.find((candidate) => candidate !== null);
  if (!sid) throw new ChannelSendError(WHATSAPP_WINDOW_CLOSED, true);
  const carriesMessage = settings.whatsappTemplateCarries === 'message';
  const variable = carriesMessage ? asTemplateParameter(message.body) : message.reference;
  const tooLong = tooLongForTemplate(variable);
  if (tooLong) throw new ChannelSendError(tooLong, true);
  return { fields: { ContentSid: sid, ContentVariables: JSON.stringify({ 1: variable }) }, note: carriesMessage ? SENT_AS_TEMPLATE : SENT_AS_TEMPLATE_NOTICE };
}

/** A failure's reason as staff read it: Twilio's 63016 says the window had closed, 63021 that WhatsApp refused the content. */
export function twilioFailureReason(code: string): string {
  if (code === TWILIO_WINDOW_CLOSED_CODE) return whatsAppWindowClosedAtProvider(`Twilio error ${TWILIO_WINDOW_CLOSED_CODE}`);
  if (code === TWILIO_INVALID_CONTENT_CODE) {
    return (
      `WhatsApp refused the message (Twilio error ${TWILIO_INVALID_CONTENT_CODE}): a template reply longer than ` +
      `${WHATSAPP_TEMPLATE_MAX_CHARACTERS.toLocaleString('en-GB')} characters with the template’s own words, or an attachment WhatsApp does not take. Send a shorter reply.`
    );
  }
  return code;
}
