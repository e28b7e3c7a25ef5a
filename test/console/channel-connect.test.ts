// What the connect form sends from what an admin typed, without a browser: the server judges it.
import { describe, expect, it } from 'vitest';
import { configOf, fieldOfPath, shownFields, startingValues, valuesFromSettings } from '../../web/console/src/screens/admin/channel-connect.ts';
import type { ChannelConnectField, ChannelKind } from '../../web/console/src/api/types.ts';

const field = (name: string, kind: ChannelConnectField['kind'], extra: Partial<ChannelConnectField> = {}): ChannelConnectField => ({
  name,
  label: name,
  hint: '',
  kind,
  isOptional: false,
  default: null,
  options: null,
  platforms: null,
  identifiesAccount: false,
  ...extra,
});

const email: ChannelKind = {
  channel: 'email',
  label: 'Email',
  providerName: null,
  fields: [
    field('address', 'email'),
    field('smtpUrl', 'secret', { isOptional: true }),
    field('imap.host', 'text'),
    field('imap.port', 'number', { isOptional: true, default: 993 }),
    field('imap.secure', 'boolean', { isOptional: true, default: true }),
    field('imap.password', 'secret'),
  ],
};

describe('the channel connect form', () => {
  it('leaves-out-blank-optional-settings-and-a-nested-group-nobody-filled', () => {
    const values = { ...startingValues(email), address: ' contact@force.police.uk ', smtpUrl: '', 'imap.host': '  ', 'imap.port': '' };
    expect(configOf(email.fields, values)).toEqual({ address: 'contact@force.police.uk' });
  });

  it('sends-a-filled-group-nested-with-numbers-as-numbers-and-secrets-as-typed', () => {
    const values = { ...startingValues(email), address: 'a@b.uk', 'imap.host': 'imap.b.uk', 'imap.port': '143', 'imap.password': ' pass word ' };
    expect(configOf(email.fields, values)).toEqual({ address: 'a@b.uk', imap: { host: 'imap.b.uk', port: 143, secure: true, password: ' pass word ' } });
    // Not a number: sent as typed, for the server to say so by its field.
    expect(configOf(email.fields, { ...values, 'imap.port': 'nine' })).toMatchObject({ imap: { port: 'nine' } });
  });

  it('sends-a-list-one-entry-a-line-and-a-blank-required-setting-for-the-server-to-refuse', () => {
    const chat = [field('widgetKey', 'text'), field('allowedOrigins', 'lines', { isOptional: true })];
    expect(configOf(chat, { widgetKey: '', allowedOrigins: 'https://a.example\n\n  https://b.example  \n' })).toEqual({
      widgetKey: '',
      allowedOrigins: ['https://a.example', 'https://b.example'],
    });
  });

  it('shows-a-platform-s-fields-only-once-it-is-chosen-and-finds-a-refused-line-s-field', () => {
    const meta: ChannelKind = {
      channel: 'meta',
      label: 'Meta',
      providerName: 'Meta',
      fields: [field('platform', 'choice'), field('pageId', 'text', { platforms: ['facebook'] }), field('verifyToken', 'secret', { platforms: ['webhook'] })],
    };
    expect(shownFields(meta, {}).map((f) => f.name)).toEqual(['platform']);
    expect(shownFields(meta, { platform: 'webhook' }).map((f) => f.name)).toEqual(['platform', 'verifyToken']);
    expect(fieldOfPath([field('allowedOrigins', 'lines')], 'config.allowedOrigins.1')?.name).toBe('allowedOrigins');
    expect(fieldOfPath(email.fields, 'config.imap.host')?.name).toBe('imap.host');
    expect(fieldOfPath(email.fields, 'label')).toBeNull();
  });

  it('fills-in-an-account-connected-again-from-its-settings-leaving-every-credential-blank', () => {
    const settings = { address: 'contact@force.police.uk', 'imap.host': 'imap.force.police.uk', 'imap.port': 143, 'imap.secure': false, smtpUrl: 'never-sent', 'imap.password': 'never-sent' };
    expect(valuesFromSettings(email, settings)).toEqual({ address: 'contact@force.police.uk', 'imap.host': 'imap.force.police.uk', 'imap.port': '143', 'imap.secure': false });
    const chat: ChannelKind = { channel: 'chat', label: 'Chat', providerName: null, fields: [field('widgetKey', 'text'), field('allowedOrigins', 'lines', { isOptional: true })] };
    expect(valuesFromSettings(chat, { widgetKey: 'force-chat', allowedOrigins: ['https://a.example', 'https://b.example'] })).toEqual({ widgetKey: 'force-chat', allowedOrigins: 'https://a.example\nhttps://b.example' });
  });
});
