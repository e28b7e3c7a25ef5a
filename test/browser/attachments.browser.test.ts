/// <reference lib="dom" />
// A handler sees the files sent with a message on the contact's thread, opens the photo in a new
// tab (shown as an image, nothing run), and the opening appears on the contact's timeline; a file
// refused for good says so, and why, with nothing to open.
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { submitPublicReport } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { storeInboundAttachments } from '../../src/capabilities/channels/attachments.service.ts';

// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const PAGE = Buffer.from('<html><script>document.title = "ran"</script></html>');

describe('attachments on the contact screen, in a real browser', () => {
  const suite = startBrowserSuite();

  it('lists the files, opens the photo by choice and records the opening', async () => {
    const { contactId } = await submitPublicReport(suite.app.deps, suite.app.demoForceId, {
      submissionId: 'browser-attachments',
      whatHappened: 'Someone scratched my car, photos attached',
      where: 'Prince of Wales Road, Norwich',
      when: 'this morning',
      name: null,
      email: 'car@example.org',
    });
    // Stored as intake stores the files of a mail: bytes kept, typed by what they are.
    await withForce(suite.app.database.db, suite.app.demoForceId, async (tx) => {
      const message = await tx.selectFrom('messages').select('id').where('contact_id', '=', contactId as string).executeTakeFirstOrThrow();
      await storeInboundAttachments(tx, suite.app.demoForceId, suite.app.deps.clock, message.id, [
        { filename: 'scratch.png', declaredType: 'image/png', content: PNG },
        { filename: '<b>invoice</b>.html', declaredType: 'image/jpeg', content: PAGE },
        { filename: 'van.jpg', declaredType: 'image/jpeg', content: null, url: 'whatsapp-media:2754859441498128' },
      ]);
      // A file the download refused for good (decision 0104), its reason shown beside the message.
      await tx
        .updateTable('attachments')
        .set({ refusal: 'its SHA-256 (0a1b2c3d4e5f…) is not the one Meta gave for it: it may not be the file that was sent' })
        .where('message_id', '=', message.id)
        .where('filename', '=', 'van.jpg')
        .execute();
    });

    const handler = await suite.openConsole('call_handler');
    await handler.goto(`${suite.base}/console/#/contacts/${contactId as string}`);
    const files = handler.getByTestId('attachment');
    await files.first().waitFor();
    expect(await files.count()).toBe(3);
    const refused = handler.locator('[data-testid="attachment"][data-state="refused"]');
    expect(await refused.innerText()).toBe('van.jpg (not downloaded) · its SHA-256 (0a1b2c3d4e5f…) is not the one Meta gave for it: it may not be the file that was sent');
    expect(await refused.getByRole('link').count()).toBe(0);
    // Nothing is shown until chosen: no image on the screen.
    expect(await handler.locator('[data-testid="attachments"] img').count()).toBe(0);
    await handler.getByText('<b>invoice</b>.html', { exact: true }).waitFor();
    await expectNoAxeViolations(handler);

    const [photo] = await Promise.all([handler.waitForEvent('popup'), handler.getByRole('link', { name: /Open scratch\.png/ }).click()]);
    await photo.waitForLoadState();
    expect(await photo.evaluate(() => document.contentType)).toBe('image/png');
    await photo.close();

    // The page sent as a photo is a download, never opened: nothing of it runs.
    const [download] = await Promise.all([handler.waitForEvent('download'), handler.getByRole('link', { name: /Download <b>invoice<\/b>\.html/ }).click()]);
    expect(download.suggestedFilename()).toBe('_b_invoice__b_.html');
    await download.cancel();

    await handler.reload();
    await handler.getByText(/Sam Handler opened an attachment/).first().waitFor();
    await handler.close();
  });
});
