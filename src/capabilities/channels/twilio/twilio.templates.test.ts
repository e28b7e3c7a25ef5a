import { describe, expect, it } from 'vitest';
import { ChannelSendError, type OutboundMessage } from '../channel.ts';
import { templateFieldsFor, twilioFailureReason, type WhatsAppTemplateSettings } from './twilio.templates.ts';

// The approved template a reply past WhatsApp's window goes as (decision 0097).

const ENGLISH = 'HX0000000000000000000000000000aaaa';
const WELSH = 'HX0000000000000000000000000000cccc';
const message = (body: string, language: string | null): OutboundMessage => ({
  body,
  recipient: { kind: 'phone', value: '+447700900203' },
  threadKey: 'whatsapp:+447700900001',
  replyToProviderMessageId: null,
  reference: 'DEMO-000123',
  contactMeta: { medium: 'whatsapp' },
  idempotencyKey: 'm1',
  isOutsideReplyWindow: true,
  language,
});
const settings = (over: Partial<WhatsAppTemplateSettings>): WhatsAppTemplateSettings => ({
  whatsappTemplateSid: null,
  whatsappTemplateSidWelsh: null,
  whatsappTemplateCarries: 'message',
  ...over,
});

describe('the template a reply past the window goes as', () => {
  it('picks the person’s language, else the other one the number has', () => {
    const both = settings({ whatsappTemplateSid: ENGLISH, whatsappTemplateSidWelsh: WELSH });
    expect(templateFieldsFor(message('x', 'cy'), both).fields.ContentSid).toBe(WELSH);
    expect(templateFieldsFor(message('x', null), both).fields.ContentSid).toBe(ENGLISH);
    expect(templateFieldsFor(message('x', 'cy'), settings({ whatsappTemplateSid: ENGLISH })).fields.ContentSid).toBe(ENGLISH);
    expect(templateFieldsFor(message('x', 'en'), settings({ whatsappTemplateSidWelsh: WELSH })).fields.ContentSid).toBe(WELSH);
  });

  it('puts the reply in placeholder 1 without the new lines and tabs WhatsApp refuses there', () => {
    const { fields } = templateFieldsFor(message('Line one\n\nLine two\twith      spaces', null), settings({ whatsappTemplateSid: ENGLISH }));
    expect(JSON.parse(fields.ContentVariables ?? '')).toEqual({ 1: 'Line one Line two with    spaces' });
  });

  it('puts the reference there for a notice-only template', () => {
    const { fields, note } = templateFieldsFor(message('secret details', null), settings({ whatsappTemplateSid: ENGLISH, whatsappTemplateCarries: 'reference' }));
    expect(JSON.parse(fields.ContentVariables ?? '')).toEqual({ 1: 'DEMO-000123' });
    expect(note).toMatch(/not the message itself/);
  });

  it('refuses-for-good-with-the-window-reason-when-the-number-has-no-template', () => {
    const refuse = () => templateFieldsFor(message('x', null), settings({}));
    expect(refuse).toThrow(ChannelSendError);
    expect(refuse).toThrow(/^Not sent: WhatsApp’s 24-hour window has closed;/);
  });

  it('refuses-for-good-a-reply-longer-than-whatsapp-takes-in-a-template-counting-characters-not-code-units', () => {
    const english = settings({ whatsappTemplateSid: ENGLISH });
    // 1,024 characters fit, even when each is an emoji of two UTF-16 units.
    expect(JSON.parse(templateFieldsFor(message('a'.repeat(1024), null), english).fields.ContentVariables ?? '')).toEqual({ 1: 'a'.repeat(1024) });
    expect(() => templateFieldsFor(message('🚓'.repeat(1024), null), english)).not.toThrow();
    const refuse = () => templateFieldsFor(message('a'.repeat(1025), null), english);
    expect(refuse).toThrow(ChannelSendError);
    expect(refuse).toThrow(/this reply \(1,025 characters\) is too long for the approved template, which takes at most 1,024/);
    try {
      refuse();
    } catch (error) {
      expect((error as ChannelSendError).isPermanent).toBe(true);
    }
    // A notice-only template carries the reference, so a long reply still goes as the notice.
    expect(templateFieldsFor(message('a'.repeat(5000), null), settings({ whatsappTemplateSid: ENGLISH, whatsappTemplateCarries: 'reference' })).fields.ContentSid).toBe(ENGLISH);
  });

  it('names Twilio’s 63016 as the window and 63021 as content WhatsApp refused, and leaves other codes as they are', () => {
    expect(twilioFailureReason('63021')).toMatch(/^WhatsApp refused the message \(Twilio error 63021\): a template reply longer than 1,024 characters/);
    expect(twilioFailureReason('63016')).toMatch(/WhatsApp’s 24-hour window had closed \(Twilio error 63016\)/);
    expect(twilioFailureReason('30003')).toBe('30003');
  });
});
