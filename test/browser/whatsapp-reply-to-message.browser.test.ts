/// <reference lib="dom" />
// Staff answering one message in particular (decision 0110): "Reply to this message" on the
// person's WhatsApp message puts "Replying to: …" above the reply box, which can be dismissed;
// the reply sent shows what it answers, and Meta's Graph API (a stand-in) receives
// `context.message_id` with the quoted message's wamid.
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { MetaSuite, fixture } from '../channels/meta-kit.ts';

const FIRST_ID = 'wamid.HBgMNDQ3NzAwOTAwMzAxFQIAEhgUM0EwMDAwMDAwMDAwMDAwMDAwMDEA';

describe('replying to one WhatsApp message, in a real browser', () => {
  const meta = new MetaSuite();
  const suite = startBrowserSuite({
    app: async (onClose) => {
      await meta.start();
      onClose(() => meta.standIn.close());
      await meta.connect('WhatsApp number', meta.whatsappConfig());
      const accepted = JSON.parse(fixture('graph-whatsapp-sent.json').toString()) as Record<string, unknown>;
      meta.standIn.respondWith(200, (n: number) => ({ ...accepted, messages: [{ id: `wamid.sent${n}` }] }));
      return meta.app;
    },
  });

  it('picks-a-message-sends-a-reply-quoting-it-and-shows-the-quote', async () => {
    expect((await meta.postFixture('whatsapp-text.json')).statusCode).toBe(200);
    const contact = await meta.contactOf(FIRST_ID);
    await meta.app.runner?.runDue();

    const handler = await suite.openConsole('call_handler');
    await handler.goto(`${suite.base}/console/#/contacts/${contact.id}`);
    const replyTo = handler.getByRole('button', { name: /^Reply to this message: the person’s message of / });
    await replyTo.waitFor();

    // Chosen, then dismissed: the reply box quotes nothing.
    await replyTo.click();
    const quoting = handler.getByTestId('reply-quoting');
    expect(await quoting.innerText()).toContain('Replying to: Someone has been trying car door handles on our street');
    await handler.getByRole('button', { name: 'Do not quote it' }).click();
    await quoting.waitFor({ state: 'detached' });

    await replyTo.click();
    await quoting.waitFor();
    expect(await handler.evaluate(() => document.activeElement?.id)).toBe('reply-body');
    await expectNoAxeViolations(handler);
    await handler.getByTestId('reply-body').fill('Which street is that?');
    const before = meta.standIn.requests.length;
    await handler.getByTestId('reply-send').click();
    await quoting.waitFor({ state: 'detached' });

    const sent = handler.locator('.msg--outbound', { hasText: 'Which street is that?' });
    await sent.waitFor();
    expect(await sent.getByTestId('message-quote').textContent()).toBe('Replying to: Someone has been trying car door handles on our street');

    await meta.app.runner?.runDue();
    expect(meta.standIn.requests.length).toBe(before + 1);
    expect(meta.lastSent().body).toMatchObject({ to: '447700900301', context: { message_id: FIRST_ID }, type: 'text', text: { body: 'Which street is that?' } });
  });
});
