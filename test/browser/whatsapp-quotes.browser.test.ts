/// <reference lib="dom" />
// A WhatsApp reply that quotes the person's earlier message, and a message forwarded many times:
// the handler reads "Replying to" with the first words of the quoted message, and the forwarded
// mark. Both texts are the public's and are shown as text, never as markup (decision 0108).
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { MetaSuite, fixture } from '../channels/meta-kit.ts';

const FIRST_ID = 'wamid.HBgMNDQ3NzAwOTAwMzAxFQIAEhgUM0EwMDAwMDAwMDAwMDAwMDAwMDEA';

describe('a WhatsApp reply quoting a message, in a real browser', () => {
  const meta = new MetaSuite();
  const suite = startBrowserSuite({
    app: async (onClose) => {
      await meta.start();
      onClose(() => meta.standIn.close());
      await meta.connect('WhatsApp number', meta.whatsappConfig());
      return meta.app;
    },
  });

  it('shows-what-the-reply-quotes-and-the-forwarded-mark-as-text', async () => {
    const first = fixture('whatsapp-text.json').toString().replace('trying car door handles', 'trying <b>car</b> door handles');
    expect((await meta.post(first)).statusCode).toBe(200);
    const reply = fixture('whatsapp-text-reply.json').toString().replace('wamid.QUOTED', FIRST_ID).replace('"from": "447700900010"', '"from": "447700900301", "frequently_forwarded": true, "forwarded": true');
    expect((await meta.post(reply)).statusCode).toBe(200);
    const contact = await meta.contactOf(FIRST_ID);

    const handler = await suite.openConsole('call_handler');
    await handler.goto(`${suite.base}/console/#/contacts/${contact.id}`);
    const quote = handler.getByTestId('message-quote');
    await quote.waitFor();
    expect(await quote.textContent()).toBe('Replying to: Someone has been trying <b>car</b> door handles on our street');
    expect(await handler.getByTestId('message-forwarded').textContent()).toBe('Forwarded many times');
    expect(await handler.locator('.msg b').count()).toBe(0);
    await expectNoAxeViolations(handler);
  });
});
