import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { listAdapters } from '../../src/capabilities/channels/registry.ts';

type Kind = { channel: string; label: string; providerName: string | null; fields: { name: string; kind: string; platforms: string[] | null; identifiesAccount: boolean }[] };
type ErrorBody = { error: { code: string; message: string; fields?: { path: string; message: string; label: string; sentence: string }[] } };
type Account = { id: string; channel: string; label: string; isEnabled: boolean; isDemoStandIn: boolean };

const TWILIO_SID = `AC${'3f'.repeat(16)}`;
const TWILIO_TOKEN = 'a-real-looking-twilio-auth-token';

/**
 * A force admin connects channel accounts from the console: it reads which channels there are and
 * each one's connect form, never a value any account holds; a refused setting is named as the form
 * names it, where it sits in the request; connecting again replaces an account's credentials.
 */
describe('connecting channel accounts', () => {
  let app: TestApp;
  let admin: Awaited<ReturnType<typeof signIn>>;

  beforeAll(async () => {
    app = await createTestApp();
    admin = await signIn(app, 'admin@demo.police.uk');
  });
  afterAll(async () => {
    await app.close();
  });

  const kinds = (headers = admin.headers) => app.inject({ method: 'GET', url: '/api/channels/kinds', headers });
  const connect = (payload: object) => app.inject({ method: 'POST', url: '/api/channels', headers: admin.headers, payload });
  const accounts = async () => (await app.inject({ method: 'GET', url: '/api/channels', headers: admin.headers })).json<{ accounts: Account[] }>().accounts;

  it('lists-every-channel-with-its-connect-form', async () => {
    const response = await kinds();
    expect(response.statusCode, response.body).toBe(200);
    const { channels } = response.json<{ channels: Kind[] }>();
    expect(channels.map((kind) => kind.channel).toSorted()).toEqual(['api', 'chat', 'email', 'meta', 'phone', 'sms_notify', 'sms_twilio', 'x']);
    const twilio = channels.find((kind) => kind.channel === 'sms_twilio');
    expect(twilio).toMatchObject({ label: 'SMS (Twilio)', providerName: 'Twilio' });
    expect(twilio?.fields.map((field) => [field.name, field.kind])).toEqual([
      ['accountSid', 'text'],
      ['authToken', 'secret'],
      ['phoneNumber', 'text'],
      ['statusCallbackUrl', 'url'],
      ['apiBaseUrl', 'url'],
      ['whatsappTemplateSid', 'text'],
      ['whatsappTemplateSidWelsh', 'text'],
      ['whatsappTemplateCarries', 'choice'],
    ]);
    expect(twilio?.fields.find((field) => field.identifiesAccount)?.name).toBe('phoneNumber');
    const meta = channels.find((kind) => kind.channel === 'meta');
    expect(meta?.fields.find((field) => field.name === 'verifyToken')).toMatchObject({ kind: 'secret', platforms: ['webhook'] });
  });

  it('refuses-a-call-handler-the-channel-kinds', async () => {
    const handler = await signIn(app, 'handler@demo.police.uk');
    const response = await kinds(handler.headers);
    expect(response.statusCode).toBe(403);
    expect(response.body).not.toContain('authToken');
  });

  it('never-answers-with-a-credential-of-a-connected-account-demo-or-real', async () => {
    const connected = await connect({ channel: 'sms_twilio', label: 'Force Twilio', config: { accountSid: TWILIO_SID, authToken: TWILIO_TOKEN, phoneNumber: '+447700900771' } });
    expect(connected.statusCode, connected.body).toBe(201);
    const body = (await kinds()).body;
    // Every credential the demo force's accounts were connected with, and those just connected.
    const demoCredentials = listAdapters().flatMap((adapter) =>
      (adapter.demoAccounts ?? []).flatMap((account) => {
        const config = account.config as Record<string, unknown>;
        return adapter.connectFields.flatMap((field) => (field.kind === 'secret' && typeof config[field.name] === 'string' ? [String(config[field.name])] : []));
      }),
    );
    const credentials = [...demoCredentials, TWILIO_SID, TWILIO_TOKEN];
    expect(credentials.length).toBeGreaterThan(8);
    for (const credential of credentials) expect(body, credential).not.toContain(credential);
  });

  it('names-a-refused-setting-by-its-form-label-where-it-sits-in-the-request-and-stores-nothing', async () => {
    const response = await connect({ channel: 'sms_twilio', label: 'Bad SID', config: { accountSid: 'AC123', authToken: TWILIO_TOKEN, phoneNumber: '+447700900772' } });
    expect(response.statusCode).toBe(400);
    const [field, ...others] = response.json<ErrorBody>().error.fields ?? [];
    expect(others).toEqual([]);
    expect(field).toMatchObject({
      path: 'body.config.accountSid',
      label: 'Account SID',
      sentence: 'Account SID must be a Twilio Account SID (AC followed by 32 hex digits)',
    });
    const email = await connect({ channel: 'email', label: 'Bad IMAP', config: { address: 'imap@demo.police.uk', displayName: 'Demo', imap: { host: '', user: 'u', password: 'p' } } });
    expect(email.json<ErrorBody>().error.fields?.map((f) => [f.path, f.label])).toEqual([['body.config.imap.host', 'IMAP server']]);
    const chat = await connect({ channel: 'chat', label: 'Bad origin', config: { widgetKey: 'bad-origin', welcomeMessage: 'Hello', allowedOrigins: ['https://ok.example', 'not a site'] } });
    expect(chat.json<ErrorBody>().error.fields?.[0]).toMatchObject({ path: 'body.config.allowedOrigins.1', label: 'Websites that may embed the chat, line 2' });
    expect((await accounts()).map((account) => account.label)).not.toContain('Bad SID');
  });

  it('replaces-a-demo-stand-in-s-credentials-when-connected-again-with-its-number', async () => {
    const before = (await accounts()).find((account) => account.label === 'Demo Twilio number');
    expect(before?.isDemoStandIn).toBe(true);
    const response = await connect({ channel: 'sms_twilio', label: 'Force text line', config: { accountSid: TWILIO_SID, authToken: 'another-real-auth-token', phoneNumber: '+447700900001' } });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json<{ account: Account }>().account).toMatchObject({ id: before?.id, label: 'Force text line', isDemoStandIn: false, isEnabled: true });
    const after = await accounts();
    expect(after.filter((account) => account.channel === 'sms_twilio' && account.id === before?.id)).toMatchObject([{ label: 'Force text line', isDemoStandIn: false }]);
    const events = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('events').select(['type', 'data']).where('subject_id', '=', before?.id ?? '').orderBy('seq', 'desc').limit(1).execute(),
    );
    expect(events).toMatchObject([{ type: 'channel.connected', data: { channel: 'sms_twilio', label: 'Force text line' } }]);
    expect(JSON.stringify(events)).not.toContain('another-real-auth-token');
  });
});
