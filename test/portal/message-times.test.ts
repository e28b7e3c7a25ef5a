// The case page dated each message the victim sent by when it reached us, though since decision
// 0172 a message keeps the time its sender sent it where that could be believed. The page now
// shows the time sent where believed, else the time received, in UK time, GOV.UK style, in a
// <time datetime> element, with Welsh month names on a Welsh page (decision 0180). The order of
// the page stays the order stored: a sender's clock reorders nothing.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { victimOnCasePage } from '../portal-visitor.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { formatDateTime } from '../../src/portal/i18n.ts';

const MINUTE = 60 * 1000;

/** The case page's timeline entries of one kind, each as its HTML. */
function entriesOf(html: string, kind: string): string[] {
  return [...html.matchAll(/<li class="bl-timeline__item" data-testid="case-update" data-kind="([a-z]+)">([\s\S]*?)<\/li>/g)].filter((m) => m[1] === kind).map((m) => m[2] ?? '');
}

describe(`the time of each message on the case page (${ENGINE})`, () => {
  let app: TestApp;
  // British Summer Time: UK time is an hour ahead of UTC.
  const clock = fixedClock(new Date('2026-06-01T09:00:00Z'));

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app.close());

  it('shows-when-the-victim-sent-each-message-where-believed-else-when-received-in-english-and-welsh', async () => {
    const handler = await signIn(app, 'handler@demo.police.uk');
    const { visitor } = await victimOnCasePage(app, handler, { ip: '10.81.0.1', email: `times.${randomUUID()}@example.org` });
    const marker = randomUUID();
    // Two messages: the first written a while before it reached us (its sender's time believed),
    // the second with no time of its sender's.
    for (const [n, words] of [`${marker} first <b>bold</b>`, `${marker} second`].entries()) {
      const page = await visitor.open('/check/case');
      const sent = await visitor.post('/check/case/message', { message: words, submissionId: /name="submissionId" value="([^"]+)"/.exec(page.body)?.[1] ?? '' });
      expect(sent.statusCode, sent.body).toBe(303);
      if (n === 0) clock.advance(2 * MINUTE);
    }
    await withSystem(app.database.db, async (tx) => {
      await sql`update messages set sent_at = ${new Date('2026-06-01T08:47:00Z')} where body = ${`${marker} first <b>bold</b>`}`.execute(tx);
      await sql`update messages set sent_at = null where body = ${`${marker} second`}`.execute(tx);
    });
    const shown = {
      en: ['<time datetime="2026-06-01T09:02:00.000Z">1 June 2026 at 10:02am</time>', '<time datetime="2026-06-01T08:47:00.000Z">1 June 2026 at 9:47am</time>'],
      cy: ['<time datetime="2026-06-01T09:02:00.000Z">1 Mehefin 2026 am 10:02yb</time>', '<time datetime="2026-06-01T08:47:00.000Z">1 Mehefin 2026 am 9:47yb</time>'],
    };
    for (const lang of ['en', 'cy'] as const) {
      const page = await visitor.open(`/check/case?lang=${lang}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(`<html lang="${lang}"`);
      // Newest first, as stored: the first message stays below the second whatever its sender's time.
      const sent = entriesOf(page.body, 'sent').filter((entry) => entry.includes(marker));
      expect(sent).toHaveLength(2);
      expect(sent[0]).toContain(`${marker} second`);
      expect(sent[0]).toContain(shown[lang][0]);
      expect(sent[1]).toContain(`${marker} first &lt;b&gt;bold&lt;/b&gt;`);
      expect(sent[1]).toContain(shown[lang][1]);
      expect(sent[1]).not.toContain('10:00am');
    }
  });

  it('writes-the-hour-after-noon-and-midnight-as-twelve-in-both-languages', () => {
    // GOV.UK style is "12:05pm"; a 12-hour clock from 0 wrote "0:05pm" (decision 0180).
    expect(formatDateTime('en', new Date('2026-06-01T11:05:00Z'))).toBe('1 June 2026 at 12:05pm');
    expect(formatDateTime('cy', new Date('2026-12-07T00:03:00Z'))).toBe('7 Rhagfyr 2026 am 12:03yb');
  });
});
