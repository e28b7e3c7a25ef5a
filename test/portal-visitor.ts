import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { expect } from 'vitest';
import { submitPublicReport, type TestApp } from './helpers.ts';
import { withForce, withSystem } from '../src/platform/db/database.ts';

type Response = Awaited<ReturnType<TestApp['inject']>>;

/** A browser without JavaScript: keeps cookies, reads the CSRF token from forms, posts url-encoded. */
export class Visitor {
  readonly cookies = new Map<string, string>();
  constructor(
    private readonly app: TestApp,
    private readonly ip = '127.0.0.1',
  ) {}

  private remember(response: Response): Response {
    for (const cookie of response.cookies) {
      const expired = cookie.maxAge === 0 || (cookie.expires instanceof Date && cookie.expires.getTime() < Date.now());
      if (expired || cookie.value === '') this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return response;
  }

  /** Another browser, at `ip`, holding a copy of this one's cookies and the form it read last (a copied cookie). */
  copyTo(ip: string): Visitor {
    const copy = new Visitor(this.app, ip);
    for (const [name, value] of this.cookies) copy.cookies.set(name, value);
    copy.csrfFrom = this.csrfFrom;
    return copy;
  }

  private get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async get(url: string): Promise<Response> {
    return this.remember(await this.app.inject({ method: 'GET', url, remoteAddress: this.ip, headers: { cookie: this.cookieHeader } }));
  }

  /** Posts a form; a list is sent as the same field repeated, as ticked checkboxes are. */
  async post(url: string, fields: Record<string, string | string[]>, options: { csrf?: string | null } = {}): Promise<Response> {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) for (const one of Array.isArray(value) ? value : [value]) form.append(name, one);
    const token = options.csrf === undefined ? this.csrfFrom : options.csrf;
    if (token !== null) form.set('csrfToken', token);
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        remoteAddress: this.ip,
        headers: { cookie: this.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
        payload: form.toString(),
      }),
    );
  }

  /** The token of the last form page seen. */
  csrfFrom = '';
  async open(url: string): Promise<Response> {
    const response = await this.get(url);
    const match = /name="csrfToken" value="([^"]+)"/.exec(response.body);
    if (match?.[1]) this.csrfFrom = match[1];
    return response;
  }

  /**
   * Signs in to a case's page as its victim does: asks for a code by the case's reference and
   * enters the one last sent to the victim. Returns the answer to the code (a redirect to the page).
   */
  async signInToCase(theCase: { id: string; reference: string }): Promise<Response> {
    await this.open('/check');
    await this.post('/check', { reference: theCase.reference });
    await this.open('/check/code');
    const mail = await withSystem(this.app.database.db, (tx) =>
      tx.selectFrom('outbox').select('body').where('case_id', '=', theCase.id).where('purpose', '=', 'portal.access_code').orderBy('created_at', 'desc').executeTakeFirstOrThrow(),
    );
    return this.post('/check/code', { code: /is (\d{6})\./.exec(mail.body)?.[1] ?? '' });
  }
}

/** The value of a hidden field of a form page. */
export const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';

/** A case a handler made of a report made online by a victim giving `email`. */
export async function reportedCase(app: TestApp, handler: { headers: Record<string, string> }, email: string): Promise<{ id: string; reference: string }> {
  const report = await submitPublicReport(app.deps, app.demoForceId, {
    submissionId: randomUUID(),
    whatHappened: 'My shed was broken into and tools taken',
    where: '4 High Street',
    when: 'Last night',
    name: 'Vic Tim',
    email,
  });
  const created = await app.inject({ method: 'POST', url: `/api/contacts/${report.contactId}/case`, headers: handler.headers, payload: {} });
  // An app whose worker runs may have drafted the report's case first (decision 0040): one case per
  // contact, so the handler is refused and the victim's case is that draft, with them as its victim.
  if (created.statusCode === 409) {
    return withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('cases').select(['id', 'reference']).where('contact_id', '=', report.contactId).executeTakeFirstOrThrow(),
    );
  }
  expect(created.statusCode, created.body).toBe(201);
  return created.json<{ case: { id: string; reference: string } }>().case;
}

/**
 * A victim who reported online (as `email`), whose report a handler made a case of, signed in to
 * that case's page from `ip` and on it in `lang`; with the message form's submission id.
 */
export async function victimOnCasePage(app: TestApp, handler: { headers: Record<string, string> }, at: { ip: string; email: string; lang?: 'en' | 'cy' }) {
  const theCase = await reportedCase(app, handler, at.email);
  const visitor = new Visitor(app, at.ip);
  const signedIn = await visitor.signInToCase(theCase);
  expect(signedIn.headers.location).toBe('/check/case');
  const page = await visitor.open(`/check/case?lang=${at.lang ?? 'en'}`);
  expect(page.statusCode, page.body).toBe(200);
  return { visitor, caseId: theCase.id, submissionId: hidden(page.body, 'submissionId') };
}

/** Reads a test app's portal records by what a test knows of them: a case's messages, reference and access codes. */
export function casePageReads(app: () => TestApp) {
  return {
    /** How many portal messages hold `marker`: a message sent once is stored once. */
    storedMessages: (marker: string) =>
      withSystem(app().database.db, async (tx) => Number((await sql<{ n: number }>`select count(*)::int as n from messages where channel = 'portal' and body like ${`%${marker}%`}`.execute(tx)).rows[0]?.n)),
    caseReference: (caseId: string) => withSystem(app().database.db, (tx) => tx.selectFrom('cases').select('reference').where('id', '=', caseId).executeTakeFirstOrThrow()),
    /** The newest sign-in code emailed for the case, in either language. */
    latestCode: async (caseId: string) => {
      const mail = await withSystem(app().database.db, (tx) =>
        tx.selectFrom('outbox').select('body').where('case_id', '=', caseId).where('purpose', '=', 'portal.access_code').orderBy('created_at', 'desc').executeTakeFirstOrThrow(),
      );
      return /(?:is|yw) (\d{6})/.exec(mail.body)?.[1] ?? '';
    },
  };
}
