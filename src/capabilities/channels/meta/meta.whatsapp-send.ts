import { z } from 'zod';
import { ChannelSendError, type ConnectField, type OutboundMessage, type SentMessage } from '../channel.ts';
import { SENT_AS_TEMPLATE, SENT_AS_TEMPLATE_NOTICE, WHATSAPP_WINDOW_CLOSED, asTemplateParameter, tooLongForTemplate } from '../reply-window.ts';
import { graphSendError } from './meta.graph.ts';
import { META_WINDOW_CLOSED_CODE, whatsAppFailureReason } from './meta.whatsapp.ts';
import { isRecord } from './meta.payload.ts';

/**
 * Replies from a WhatsApp Business number through the Cloud API: `POST /{phone-number-id}/messages`
 * with `messaging_product: 'whatsapp'`. Inside WhatsApp's 24-hour window a text; outside it the
 * force's approved template (by name and language code) with the reply, or the contact's
 * reference, as its body's one parameter; with no template, nothing is sent (decisions 0097, 0099).
 */

const templateName = z.string().regex(/^[a-z0-9_]{1,512}$/, 'must be the template’s name as WhatsApp Manager shows it: lower-case letters, digits and underscores');
const languageCode = z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'must be a WhatsApp template language code such as en_GB');

/** The number's template settings, part of its configuration. */
export const whatsAppCloudTemplateSettings = {
  /** The approved template sent outside the window; null: such replies fail with the reason. */
  templateName: templateName.nullable().default(null),
  /** The language code the template was approved in for English (or bilingual) words. */
  templateLanguage: languageCode.default('en_GB'),
  /** The language code of its Welsh words, for people who write in Welsh; null: they get the English one. */
  templateLanguageWelsh: languageCode.nullable().default(null),
  /**
   * What fills the template body's placeholders: `{{1}}` the reply itself, or the contact's
   * reference; or `{{1}}` the reference and `{{2}}` the reply.
   */
  templateCarries: z.enum(['message', 'reference', 'reference_and_message']).default('message'),
  /** Whether the template has a text header whose one placeholder takes the contact's reference. */
  templateHeader: z.enum(['none', 'reference']).default('none'),
};

export type WhatsAppCloudAccount = {
  phoneNumberId: string;
  accessToken: string;
  apiBaseUrl: string;
  templateName: string | null;
  templateLanguage: string;
  templateLanguageWelsh: string | null;
  templateCarries: 'message' | 'reference' | 'reference_and_message';
  templateHeader: 'none' | 'reference';
};

/** The connect form's template fields, for the WhatsApp platform only. */
export const whatsAppCloudTemplateFields: ConnectField[] = [
  {
    name: 'templateName',
    label: 'WhatsApp template name',
    kind: 'text',
    isOptional: true,
    platforms: ['whatsapp'],
    hint: 'The name of a template WhatsApp approved (WhatsApp Manager, Message templates), sent when the person has not written for 24 hours. Its body has one placeholder, {{1}}, or two (see below). Without one, such replies are not sent and staff are told why.',
  },
  { name: 'templateLanguage', label: 'Template language code, English', kind: 'text', isOptional: true, default: 'en_GB', platforms: ['whatsapp'], hint: 'The language the template was approved in for its English (or bilingual) words, such as en_GB.' },
  {
    name: 'templateLanguageWelsh',
    label: 'Template language code, Welsh',
    kind: 'text',
    isOptional: true,
    platforms: ['whatsapp'],
    hint: 'The language code the template’s Welsh words were approved under, sent to people who write in Welsh. Leave blank when the English template is bilingual.',
  },
  {
    name: 'templateCarries',
    label: 'The template’s placeholder {{1}}',
    kind: 'choice',
    isOptional: true,
    default: 'message',
    platforms: ['whatsapp'],
    hint: 'What fills the placeholders of the template’s body.',
    options: [
      { value: 'message', label: 'The reply itself' },
      { value: 'reference', label: 'The contact’s reference (the template says there is an update and to reply)' },
      { value: 'reference_and_message', label: 'The contact’s reference in {{1}}, the reply itself in {{2}}' },
    ],
  },
  {
    name: 'templateHeader',
    label: 'The template’s header',
    kind: 'choice',
    isOptional: true,
    default: 'none',
    platforms: ['whatsapp'],
    hint: 'Whether the template was approved with a text header whose one placeholder, {{1}}, takes the contact’s reference. Quick-reply buttons need nothing here: a tap comes back as the person’s message.',
    options: [
      { value: 'none', label: 'No header, or one without a placeholder' },
      { value: 'reference', label: 'A text header with the contact’s reference' },
    ],
  },
];

/**
 * The language code a template goes in, by the language the person chose or wrote in: Welsh
 * (`cy`, `cy-GB`, `cy_GB`) gets the force's Welsh code when it has one approved; everyone else,
 * and a Welsh speaker of a force without one, the English (or bilingual) code.
 */
export function templateLanguageFor(language: string | null | undefined, account: Pick<WhatsAppCloudAccount, 'templateLanguage' | 'templateLanguageWelsh'>): { code: string; isWelshMissing: boolean } {
  const isWelsh = /^cy(?:[-_]|$)/i.test(language?.trim() ?? '');
  if (isWelsh && account.templateLanguageWelsh) return { code: account.templateLanguageWelsh, isWelshMissing: false };
  return { code: account.templateLanguage, isWelshMissing: isWelsh };
}

/** Told to staff when a Welsh speaker's template went in English. */
export const SENT_IN_ENGLISH_NOTE = ' The number has no Welsh template, so it went in English.';

/**
 * Meta's refusal of a template in a language it was not approved in ("Template does not exist",
 * 132001): nothing was sent, so the same template may go once in English.
 */
export const META_TEMPLATE_NOT_IN_LANGUAGE_CODE = 132001;

/** Told to staff when the Welsh template Meta was asked for did not exist, and the English one went. */
export const WELSH_TEMPLATE_MISSING_NOTE = ' Meta has no Welsh translation of the template (error 132001), so it went in English.';

type TemplateSend = { body: Record<string, unknown>; note: string; english: { body: Record<string, unknown>; note: string } | null };

/**
 * The template message for a reply outside the window, in the person's language where there is
 * one, and what staff are told; when that is the Welsh code, the same message in English, for
 * Meta's refusal of the Welsh one.
 */
function templateFor(message: OutboundMessage, account: WhatsAppCloudAccount): TemplateSend {
  if (!account.templateName) throw new ChannelSendError(WHATSAPP_WINDOW_CLOSED, true);
  const templateName = account.templateName;
  const { code, isWelshMissing } = templateLanguageFor(message.language, account);
  const carries = account.templateCarries;
  const reply = asTemplateParameter(message.body);
  const texts = carries === 'message' ? [reply] : carries === 'reference' ? [message.reference] : [message.reference, reply];
  const tooLong = tooLongForTemplate(texts.join(' '));
  if (tooLong) throw new ChannelSendError(tooLong, true);
  const text = (value: string) => ({ type: 'text', text: value });
  // Meta's send format: one component per part with placeholders, each parameter in order.
  const components = [
    ...(account.templateHeader === 'reference' ? [{ type: 'header', parameters: [text(message.reference)] }] : []),
    { type: 'body', parameters: texts.map(text) },
  ];
  const bodyIn = (languageCode: string) => ({ type: 'template', template: { name: templateName, language: { code: languageCode }, components } });
  const sentAs = carries === 'reference' ? SENT_AS_TEMPLATE_NOTICE : SENT_AS_TEMPLATE;
  return {
    body: bodyIn(code),
    note: sentAs + (isWelshMissing ? SENT_IN_ENGLISH_NOTE : ''),
    english: code !== account.templateLanguage ? { body: bodyIn(account.templateLanguage), note: sentAs + WELSH_TEMPLATE_MISSING_NOTE } : null,
  };
}

/** Told to staff when a reply that quotes a message went as a template, which WhatsApp shows without the quote. */
export const TEMPLATE_WITHOUT_QUOTE_NOTE = ' WhatsApp shows a template without the message it answers, so it went unquoted.';

/**
 * Sends a reply to the person's WhatsApp number; a refusal for the window (131047) says so. A
 * Welsh template Meta has no translation of (132001) goes once more, in English, saying so
 * (decision 0112); nothing was sent by the refused one, so a retry of the job sends once. A
 * reply to one chosen message carries Meta's `context: {message_id}` (a contextual reply); a
 * template never does, as WhatsApp shows no quote on one.
 */
export async function sendWhatsAppCloud(message: OutboundMessage, account: WhatsAppCloudAccount, fetcher: typeof fetch): Promise<SentMessage> {
  if (message.recipient.kind !== 'phone' || !/^\+\d{6,20}$/.test(message.recipient.value)) throw new ChannelSendError('the contact has no WhatsApp number', true);
  const template = message.isOutsideReplyWindow ? templateFor(message, account) : null;
  const quotes = message.quotesProviderMessageId ?? null;
  const content = template?.body ?? { ...(quotes ? { context: { message_id: quotes } } : {}), type: 'text', text: { preview_url: false, body: message.body } };
  const to = message.recipient.value.slice(1);
  const post = async (body: Record<string, unknown>) => {
    const response = await fetcher(`${account.apiBaseUrl.replace(/\/+$/, '')}/${encodeURIComponent(account.phoneNumberId)}/messages`, {
      method: 'POST',
      // The token goes in a header, never the URL, so it lands in no access log.
      headers: { 'content-type': 'application/json', authorization: `Bearer ${account.accessToken}` },
      body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to, ...body }),
    });
    const json: unknown = await response.json().catch(() => null);
    const error = !response.ok && isRecord(json) && isRecord(json.error) ? json.error : {};
    return { response, json, code: error.code };
  };
  let answer = await post(content);
  let note = template?.note;
  // No Welsh template at Meta: nothing went, so the English one goes, once; its refusal is final.
  if (!answer.response.ok && answer.code === META_TEMPLATE_NOT_IN_LANGUAGE_CODE && template?.english) {
    answer = await post(template.english.body);
    note = template.english.note;
  }
  if (!answer.response.ok) {
    if (answer.code === META_WINDOW_CLOSED_CODE) throw new ChannelSendError(whatsAppFailureReason({ code: META_WINDOW_CLOSED_CODE }), true);
    throw graphSendError(answer.response.status, answer.json);
  }
  const { json } = answer;
  const id = isRecord(json) && Array.isArray(json.messages) && isRecord(json.messages[0]) ? json.messages[0].id : undefined;
  // Meta may have taken the message: failing for good is better than sending it twice.
  if (typeof id !== 'string' || id.length === 0) throw new ChannelSendError('Meta accepted the reply but returned no message id', true);
  return { providerMessageId: id, ...(note !== undefined ? { note: note + (quotes ? TEMPLATE_WITHOUT_QUOTE_NOTE : '') } : {}) };
}
