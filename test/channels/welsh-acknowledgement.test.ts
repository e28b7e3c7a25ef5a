import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MailApp, compose, openMailApp } from './email-kit.ts';
import { withForce } from '../../src/platform/db/database.ts';

// A person who writes in Welsh on a channel that cannot say which language it carries (an email, a
// text) is answered in Welsh, and their contact is marked Welsh for routing to a Welsh speaker.

describe('a message written in Welsh on a channel that names no language', () => {
  let mail: MailApp;

  beforeAll(async () => {
    mail = await openMailApp();
  });
  afterAll(() => mail.close());

  const acknowledgedIn = async (providerId: string) => {
    const contact = await mail.kit.contactOfMessage(providerId);
    const events = await withForce(mail.app.database.db, mail.app.demoForceId, (tx) =>
      tx.selectFrom('events').select('data').where('subject_id', '=', contact.id).where('type', '=', 'contact.acknowledged').execute(),
    );
    return { language: (contact.meta as { language?: string }).language ?? null, acknowledged: events.map((e) => (e.data as { language?: string }).language) };
  };

  it('acknowledges-a-welsh-email-in-welsh-and-an-english-one-in-english', async () => {
    await compose(mail.port, { from: 'Gwen <gwen.person@example.org>', subject: 'Car', text: 'Mae rhywun wedi torri mewn i fy nghar neithiwr. Diolch.', messageId: '<welsh-mail@example.org>' });
    await compose(mail.port, { from: 'Pat <pat.person2@example.org>', subject: 'Car', text: 'Someone broke into my car last night. Thanks.', messageId: '<english-mail@example.org>' });
    await mail.app.runner?.runDue();
    expect(await acknowledgedIn('welsh-mail@example.org')).toEqual({ language: 'cy', acknowledged: ['cy'] });
    expect(await acknowledgedIn('english-mail@example.org')).toEqual({ language: null, acknowledged: ['en'] });
  });
});
