import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { changesOf, parseWhatsAppWebhook, phoneNumberIds } from './meta.whatsapp.ts';

// The Cloud API's webhook read from Meta's published samples (fixtures/README.md), and the message
// types of its reference pages built on the text sample's envelope.

const NUMBER = '1000000000010';
/** When the samples reached us: a minute after the text sample says it was sent. */
const RECEIVED_AT = new Date('2026-03-02T09:01:00Z');
const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url));

/** The text sample with its one message replaced, as Meta's reference page for that type shows it. */
function withMessage(message: Record<string, unknown>, phoneNumberId = NUMBER): Buffer {
  const json = JSON.parse(fixture('whatsapp-text.json').toString('utf8')) as { entry: { changes: { value: Record<string, unknown> }[] }[] };
  const value = json.entry[0]?.changes[0]?.value ?? {};
  value.metadata = { display_phone_number: '447700900010', phone_number_id: phoneNumberId };
  value.messages = [{ from: '447700900301', id: 'wamid.TYPE', timestamp: '1772442000', ...message }];
  return Buffer.from(JSON.stringify(json));
}

describe('WhatsApp Cloud API webhook', () => {
  it('reads a text from the person’s number, with the name WhatsApp gives', () => {
    const { messages } = parseWhatsAppWebhook(fixture('whatsapp-text.json'), NUMBER, RECEIVED_AT);
    expect(messages).toEqual([
      expect.objectContaining({
        providerMessageId: 'wamid.HBgMNDQ3NzAwOTAwMzAxFQIAEhgUM0EwMDAwMDAwMDAwMDAwMDAwMDEA',
        threadKey: `whatsapp:${NUMBER}:447700900301`,
        sender: { kind: 'phone', value: '+447700900301', displayName: 'Sam Jones' },
        body: 'Someone has been trying car door handles on our street',
        sentAt: new Date('2026-03-02T09:00:00Z'),
      }),
    ]);
  });

  it('names media as an attachment by its id and hash, to download after the message is stored', () => {
    const [image] = parseWhatsAppWebhook(fixture('whatsapp-image.json'), NUMBER, RECEIVED_AT).messages;
    expect(image?.body).toBe('This is the van they drove off in\n[photo: see the attachment]');
    expect(image?.attachments).toEqual([
      { filename: null, declaredType: 'image/jpeg', content: null, url: 'whatsapp-media:2754859441498128', declaredSha256: '81d3bd8a8db4868c9520ed47186e8b7c5789e61ff79f7f834be6950b808a90d3' },
    ]);
    expect(image?.meta?.media).toEqual([{ type: 'image', mediaId: '2754859441498128', mimeType: 'image/jpeg', sha256: '81d3bd8a8db4868c9520ed47186e8b7c5789e61ff79f7f834be6950b808a90d3', filename: null }]);
    // Meta's webhooks have given the hash in base64 too: it is kept as hex.
    const base64 = Buffer.from('81d3bd8a8db4868c9520ed47186e8b7c5789e61ff79f7f834be6950b808a90d3', 'hex').toString('base64');
    const [document] = parseWhatsAppWebhook(withMessage({ type: 'document', document: { filename: 'statement.pdf', mime_type: 'application/pdf', sha256: base64, id: '123' } }), NUMBER, RECEIVED_AT).messages;
    expect(document?.body).toBe('[document “statement.pdf”: see the attachment]');
    expect(document?.attachments).toEqual([expect.objectContaining({ filename: 'statement.pdf', url: 'whatsapp-media:123', declaredSha256: '81d3bd8a8db4868c9520ed47186e8b7c5789e61ff79f7f834be6950b808a90d3' })]);
  });

  it('says a file without a media id cannot be downloaded, and keeps no hash it cannot read', () => {
    const [voice] = parseWhatsAppWebhook(withMessage({ type: 'audio', audio: { mime_type: 'audio/ogg; codecs=opus', sha256: 'abc', voice: true } }), NUMBER, RECEIVED_AT).messages;
    expect(voice?.body).toBe('[voice or audio message not downloaded: see WhatsApp]');
    expect(voice?.attachments).toBeUndefined();
    const [video] = parseWhatsAppWebhook(withMessage({ type: 'video', video: { mime_type: 'video/mp4', sha256: 'abc', id: '456' } }), NUMBER, RECEIVED_AT).messages;
    expect(video?.attachments).toEqual([{ filename: null, declaredType: 'video/mp4', content: null, url: 'whatsapp-media:456' }]);
  });

  it('shows a shared location as the contact’s place, and a tapped button by its title', () => {
    const [place] = parseWhatsAppWebhook(withMessage({ type: 'location', location: { latitude: 51.5, longitude: -0.12, name: 'Park', address: 'High Street' } }), NUMBER, RECEIVED_AT).messages;
    expect(place).toMatchObject({ body: '[shared location] Park High Street', place: { lat: 51.5, lon: -0.12, source: 'shared' } });
    const [button] = parseWhatsAppWebhook(withMessage({ type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes, call me' } } }), NUMBER, RECEIVED_AT).messages;
    expect(button?.body).toBe('Yes, call me');
  });

  it('skips reactions, and notes a message it cannot read without losing the rest', () => {
    expect(parseWhatsAppWebhook(withMessage({ type: 'reaction', reaction: { message_id: 'wamid.X', emoji: '👍' } }), NUMBER, RECEIVED_AT).messages).toEqual([]);
    const broken = parseWhatsAppWebhook(withMessage({ from: 'not a number', type: 'text', text: { body: 'x' } }), NUMBER, RECEIVED_AT);
    expect(broken.messages).toEqual([]);
    expect(broken.unreadable?.[0]).toMatch(/^entry\.0\.changes\.0\.value\.messages\.0: from must be a WhatsApp id/);
  });

  it('reads delivery and failure statuses, 131047 as the window having closed', () => {
    expect(parseWhatsAppWebhook(fixture('whatsapp-status-delivered.json'), NUMBER, RECEIVED_AT).statuses).toEqual([{ providerMessageId: 'wamid.OUTBOUND', status: 'delivered', reason: null }]);
    const [failed] = parseWhatsAppWebhook(fixture('whatsapp-status-failed.json'), NUMBER, RECEIVED_AT).statuses;
    expect(failed).toMatchObject({ status: 'failed', reason: expect.stringMatching(/24-hour window had closed \(Meta error 131047\)/) as unknown });
  });

  it('reads nothing for another number, and splits a batch by number', () => {
    const other = withMessage({ type: 'text', text: { body: 'for someone else' } }, '1000000000020');
    expect(parseWhatsAppWebhook(other, NUMBER, RECEIVED_AT)).toEqual({ messages: [], statuses: [] });
    const ours = JSON.parse(fixture('whatsapp-text.json').toString('utf8')) as { entry: { changes: unknown[] }[] };
    const theirs = JSON.parse(other.toString('utf8')) as { entry: { changes: unknown[] }[] };
    const batch = Buffer.from(JSON.stringify({ ...ours, entry: [{ ...ours.entry[0], changes: [...(ours.entry[0]?.changes ?? []), ...(theirs.entry[0]?.changes ?? [])] }] }));
    expect(phoneNumberIds(batch)).toEqual([NUMBER, '1000000000020']);
    expect(phoneNumberIds(changesOf(batch, ['1000000000020']))).toEqual(['1000000000020']);
    expect(phoneNumberIds(fixture('facebook-message.json'))).toEqual([]);
  });
});

describe('WhatsApp replies that quote a message, and forwarded messages (decision 0108)', () => {
  it('keeps the quoted message’s id and who wrote it, and names it for threading', () => {
    const [reply] = parseWhatsAppWebhook(fixture('whatsapp-text-reply.json'), NUMBER, RECEIVED_AT).messages;
    expect(reply?.body).toBe('Yes, the same van was back last night');
    expect(reply?.meta).toMatchObject({ quoted: { providerMessageId: 'wamid.QUOTED', from: '447700900010' } });
    expect(reply?.meta?.forwarded).toBeUndefined();
    expect(reply?.inReplyTo).toEqual(['wamid.QUOTED']);
  });

  it('marks a forwarded message, and one forwarded many times', () => {
    const [once] = parseWhatsAppWebhook(withMessage({ type: 'text', text: { body: 'Seen this?' }, context: { forwarded: true } }), NUMBER, RECEIVED_AT).messages;
    expect(once?.meta).toMatchObject({ forwarded: 'once' });
    expect(once?.inReplyTo).toBeUndefined();
    const [many] = parseWhatsAppWebhook(withMessage({ type: 'image', image: { id: '789', mime_type: 'image/jpeg' }, context: { forwarded: true, frequently_forwarded: true } }), NUMBER, RECEIVED_AT).messages;
    expect(many?.meta).toMatchObject({ forwarded: 'frequently' });
  });

  it('ignores a product enquiry’s context, which names no message of ours', () => {
    const [enquiry] = parseWhatsAppWebhook(withMessage({ type: 'text', text: { body: 'Is this still for sale?' }, context: { from: '447700900010', referred_product: { catalog_id: '1', product_retailer_id: 'x' } } }), NUMBER, RECEIVED_AT).messages;
    expect(enquiry?.body).toBe('Is this still for sale?');
    expect(enquiry?.meta?.quoted).toBeUndefined();
  });

  it('keeps the message when its context is malformed, leaving out what cannot be read', () => {
    for (const context of ['wamid.X', 42, null, [], { id: 12345, forwarded: 'yes' }, { id: '', from: 'not digits' }, { id: 'x'.repeat(600) }]) {
      const parsed = parseWhatsAppWebhook(withMessage({ type: 'text', text: { body: 'Still here' }, context }), NUMBER, RECEIVED_AT);
      expect(parsed.unreadable ?? []).toEqual([]);
      expect(parsed.messages).toEqual([expect.objectContaining({ body: 'Still here' })]);
      expect(parsed.messages[0]?.meta?.quoted).toBeUndefined();
      expect(parsed.messages[0]?.meta?.forwarded).toBeUndefined();
      expect(parsed.messages[0]?.inReplyTo).toBeUndefined();
    }
    // The id read alone when the rest is wrong.
    const [partly] = parseWhatsAppWebhook(withMessage({ type: 'text', text: { body: 'Partly' }, context: { id: 'wamid.OK', from: 7, forwarded: 'yes' } }), NUMBER, RECEIVED_AT).messages;
    expect(partly?.meta).toMatchObject({ quoted: { providerMessageId: 'wamid.OK', from: null } });
  });
});
