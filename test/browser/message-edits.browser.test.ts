/// <reference lib="dom" />
// A person who edits a Messenger message they sent: the handler sees the first text as it was
// sent, and the edit beneath it saying which message it changes. The edit's text is the public's
// and is shown as text, never as markup.
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { MetaSuite, fixture } from '../channels/meta-kit.ts';

describe('a Messenger message edited by the person, in a real browser', () => {
  const meta = new MetaSuite();
  const suite = startBrowserSuite({
    app: async (onClose) => {
      await meta.start();
      onClose(() => meta.standIn.close());
      return meta.app;
    },
  });

  it('shows-the-first-text-and-the-edit-that-changes-it', async () => {
    expect((await meta.postFixture('facebook-message.json')).statusCode).toBe(200);
    const edit = fixture('facebook-message-edit.json')
      .toString()
      .replace('and now says he is outside my house', 'and now says he is <b>outside</b> my house');
    expect((await meta.post(edit)).statusCode).toBe(200);
    const contact = await meta.contactOf('mid.1457764197618:41d102a3e1ae206a38');

    const handler = await suite.openConsole('call_handler');
    await handler.goto(`${suite.base}/console/#/contacts/${contact.id}`);
    const note = handler.getByTestId('message-edit');
    await note.waitFor();
    expect(await note.textContent()).toMatch(/^Edited their message of .+ \(edit 1\)\. What they first wrote is kept above\.$/);
    const bodies = await handler.locator('.msg__body').allTextContents();
    expect(bodies).toEqual([
      'Someone has been sending me threatening messages',
      'Someone has been sending me threatening messages and now says he is <b>outside</b> my house',
    ]);
    expect(await handler.locator('.msg__body b').count()).toBe(0);
    await expectNoAxeViolations(handler);
  });
});
