import { CLOSURE_MESSAGES } from './messages/closure.schema.ts';
import { COURT_MESSAGES } from './messages/court.schema.ts';
import { RECORDING_MESSAGES } from './messages/recording.schema.ts';
import { SUSPECT_MESSAGES } from './messages/suspect.schema.ts';
import type { DefaultTemplate, JourneyMessage } from './messages/message-kit.schema.ts';

export { JOURNEY_PLACEHOLDERS, type JourneyPlaceholder } from './messages/message-kit.schema.ts';

// Every journey message a force starts with, in one list.

export const JOURNEY_MESSAGES: readonly JourneyMessage[] = [...RECORDING_MESSAGES, ...SUSPECT_MESSAGES, ...COURT_MESSAGES, ...CLOSURE_MESSAGES];

/** The journey messages as template rows: each key by email and text message, in English and Welsh. */
export function journeyTemplateRows(): DefaultTemplate[] {
  return JOURNEY_MESSAGES.flatMap((message) => [
    { key: message.key, channel: 'email' as const, locale: 'en' as const, ...message.email.en },
    { key: message.key, channel: 'email' as const, locale: 'cy' as const, ...message.email.cy },
    { key: message.key, channel: 'sms' as const, locale: 'en' as const, subject: '', body: message.sms.en },
    { key: message.key, channel: 'sms' as const, locale: 'cy' as const, subject: '', body: message.sms.cy },
  ]);
}
