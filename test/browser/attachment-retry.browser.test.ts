/// <reference lib="dom" />
// A handler sees a WhatsApp photo Meta could not be reached for, presses Try again once Meta is
// back, hears that it is being fetched, and sees it downloaded when the job has run: the console
// is told by the live update, not by reloading. A role that may not reply sees no button.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { createTestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { connectChannelAccount } from '../../src/capabilities/channels/channel-accounts.service.ts';
import type { AnyChannelAdapter } from '../../src/capabilities/channels/channel.ts';
import { metaChannel, metaSignature } from '../../src/capabilities/channels/meta/meta.channel.ts';
import { startGraph } from '../channels/whatsapp-graph.ts';

const APP_SECRET = 'browser-retry-app-secret';
const TOKEN = 'browser-retry-token';
const PHONE_NUMBER_ID = '1000000000070';
const MEDIA_ID = '2754859441499900';
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF the van, in the browser')]);

describe('a failed download tried again from the contact screen, in a real browser', () => {
  const clock = fixedClock(new Date());
  let graph: Awaited<ReturnType<typeof startGraph>>;

  const suite = startBrowserSuite({
    app: async (onClose) => {
      graph = await startGraph({ [PHONE_NUMBER_ID]: TOKEN });
      onClose(() => graph.close());
      const app = await createTestApp({ overrides: { clock } });
      await connectChannelAccount({ ...app.deps, secrets: new SecretBox(app.config.secretsKey) }, app.demoForceId, metaChannel as AnyChannelAdapter, {
        label: 'WhatsApp for the browser',
        config: { platform: 'whatsapp', phoneNumberId: PHONE_NUMBER_ID, businessAccountId: '1000000000071', appSecret: APP_SECRET, accessToken: TOKEN, apiBaseUrl: `${graph.url}/v21.0` },
        actor: { type: 'system', id: null },
      });
      return app;
    },
  });

  it('shows Try again on the failed photo, and the photo once Meta serves it', async () => {
    // Meta's image webhook sample, while the Graph API is down through all six attempts.
    graph.files.set(MEDIA_ID, { bytes: JPEG, mimeType: 'image/jpeg', owner: PHONE_NUMBER_ID });
    graph.setDown(true);
    const json = JSON.parse(readFileSync(new URL('../../src/capabilities/channels/meta/fixtures/whatsapp-image.json', import.meta.url), 'utf8')) as {
      entry: { changes: { value: { metadata: Record<string, string>; messages: { id: string; image: Record<string, string> }[] } }[] }[];
    };
    const value = json.entry[0]!.changes[0]!.value;
    value.metadata.phone_number_id = PHONE_NUMBER_ID;
    value.messages[0]!.id = 'wamid.browser-retry';
    value.messages[0]!.image = { ...value.messages[0]!.image, id: MEDIA_ID, mime_type: 'image/jpeg', sha256: createHash('sha256').update(JPEG).digest('base64') };
    const body = JSON.stringify(json);
    const response = await suite.app.inject({ method: 'POST', url: '/webhooks/meta', headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(Buffer.from(body), APP_SECRET) }, payload: body });
    expect(response.statusCode).toBe(200);
    for (let attempt = 1; attempt <= 6; attempt += 1) {
      await suite.app.runner?.runDue();
      clock.advance(60 * 60_000);
    }
    const { contact_id: contactId } = await withForce(suite.app.database.db, suite.app.demoForceId, (tx) =>
      tx.selectFrom('messages').select('contact_id').where('provider_message_id', '=', 'wamid.browser-retry').executeTakeFirstOrThrow(),
    );

    // An investigator may read the contact but not answer it: the reason, and no button.
    const investigator = await suite.openConsole('investigator');
    await investigator.goto(`${suite.base}/console/#/contacts/${contactId}`);
    await investigator.locator('[data-testid="attachment"][data-state="refused"]').waitFor();
    expect(await investigator.getByRole('button', { name: /Try again/ }).count()).toBe(0);
    await investigator.close();

    const handler = await suite.openConsole('call_handler');
    await handler.goto(`${suite.base}/console/#/contacts/${contactId}`);
    const refused = handler.locator('[data-testid="attachment"][data-state="refused"]');
    await refused.waitFor();
    expect(await refused.innerText()).toMatch(/could not be reached after 6 attempts/);
    await expectNoAxeViolations(handler);

    graph.setDown(false);
    const tryAgain = handler.getByRole('button', { name: /^Try again to download / });
    expect(await tryAgain.count()).toBe(1);
    await tryAgain.click();
    await handler.getByRole('status').filter({ hasText: /being fetched from the provider/ }).waitFor();
    await handler.locator('[data-testid="attachment"][data-state="fetching"]').waitFor();
    await expect.poll(() => handler.getByRole('button', { name: /Try again/ }).count()).toBe(0);

    // The job runs; the live update brings the photo to the open screen.
    await suite.app.runner?.runDue();
    await handler.getByRole('link', { name: /^Open Photo/ }).waitFor();
    expect(await handler.locator('[data-testid="attachment"][data-state="stored"]').innerText()).toContain(`SHA-256 ${createHash('sha256').update(JPEG).digest('hex').slice(0, 12)}`);
    await handler.getByText(/Sam Handler asked for an attachment to be downloaded again/).first().waitFor();
    await handler.close();
  });
});
