// The connect form's values and what is sent from them. The server declares each channel's fields
// (GET /api/channels/kinds) and checks what is sent against the channel's own schema: the form
// only turns what was typed into that shape, and leaves the judging to the server.
import type { ChannelAccountSettings, ChannelConnectField, ChannelKind } from '../../api/types.ts';

/** What was typed, by field name: text for every kind but a tick box. */
export type ConnectValues = Record<string, string | boolean>;

/** The field Meta's kind of account is chosen by; its other fields belong to one platform or more. */
const PLATFORM = 'platform';

/** The fields shown for the values so far: a field of some platforms only once one of them is chosen. */
export function shownFields(kind: ChannelKind, values: ConnectValues): ChannelConnectField[] {
  const platform = values[PLATFORM];
  return kind.fields.filter((field) => field.platforms === null || (typeof platform === 'string' && field.platforms.includes(platform)));
}

/** The id of a field's input ("imap.host" → "connect-imap-host"). */
export const inputIdOf = (name: string) => `connect-${name.replace(/\./g, '-')}`;

/** The setting a refusal names ("config.allowedOrigins.1" is the allowed origins field), or null. */
export function fieldOfPath(fields: readonly ChannelConnectField[], path: string): ChannelConnectField | null {
  if (!path.startsWith('config.')) return null;
  const setting = path.slice('config.'.length);
  return fields.find((field) => setting === field.name || setting.startsWith(`${field.name}.`)) ?? null;
}

/** A tick box starts as its default; everything else starts blank. */
export function startingValues(kind: ChannelKind): ConnectValues {
  return Object.fromEntries(kind.fields.flatMap((field) => (field.kind === 'boolean' ? [[field.name, field.default === true]] : [])));
}

/**
 * The form of an account connected again: its settings as it holds them (a list one a line), and
 * every credential blank, as the server never sends one.
 */
export function valuesFromSettings(kind: ChannelKind, settings: ChannelAccountSettings['settings']): ConnectValues {
  const values = startingValues(kind);
  for (const field of kind.fields) {
    const value = settings[field.name];
    if (field.kind === 'secret' || value === undefined || value === null) continue;
    values[field.name] = typeof value === 'boolean' ? value : Array.isArray(value) ? value.join('\n') : String(value);
  }
  return values;
}

function valueOf(field: ChannelConnectField, typed: string | boolean | undefined): unknown {
  if (field.kind === 'boolean') return typed === true;
  const text = typeof typed === 'string' ? typed : '';
  // A credential is sent as typed: spaces may be part of it, and the server says if they are not.
  const value = field.kind === 'secret' ? text : text.trim();
  if (value === '' && field.isOptional) return undefined;
  if (field.kind === 'lines') {
    return value
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
  }
  // Not a number: sent as typed, for the server to say so.
  if (field.kind === 'number') return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  return value;
}

/**
 * The configuration to send: blank optional settings are left out (the server gives them their
 * default, or none), and a nested setting (IMAP) is sent only if one of its text settings is filled.
 */
export function configOf(fields: readonly ChannelConnectField[], values: ConnectValues): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  const isGroupFilled = (group: string) =>
    fields.some((field) => field.name.startsWith(`${group}.`) && field.kind !== 'boolean' && String(values[field.name] ?? '').trim() !== '');
  for (const field of fields) {
    const [group, key] = field.name.includes('.') ? [field.name.slice(0, field.name.indexOf('.')), field.name.slice(field.name.indexOf('.') + 1)] : [null, field.name];
    if (group !== null && !isGroupFilled(group)) continue;
    const value = valueOf(field, values[field.name]);
    if (value === undefined) continue;
    if (group === null) {
      config[key] = value;
      continue;
    }
    const nested = config[group];
    if (typeof nested === 'object' && nested !== null) Object.assign(nested, { [key]: value });
    else config[group] = { [key]: value };
  }
  return config;
}
