import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AnyChannelAdapter, ConnectField } from './channel.ts';
import { listAdapters } from './registry.ts';

// The console's connect form is built from each adapter's declared fields; the server checks the
// configuration with its schema. Held together here, the two cannot drift: a setting added to a
// schema without a field (or a field left after its setting went) fails, as does a credential
// that would be typed in plain view.

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
};

/** One setting as the schema has it: its dotted name, and what the form must know of it. */
type Setting = { name: string; isOptional: boolean; default: unknown; type: string; values: unknown[] | null };

/** The schema inside `anyOf: [schema, {type: null}]` (a nullable setting). */
function withoutNull(schema: JsonSchema): JsonSchema {
  const options = schema.anyOf?.filter((option) => option.type !== 'null');
  return options?.length === 1 && options[0] ? { ...options[0], default: schema.default } : schema;
}

function settingsOf(object: JsonSchema, prefix = ''): Setting[] {
  return Object.entries(object.properties ?? {}).flatMap(([key, raw]) => {
    const schema = withoutNull(raw);
    const name = `${prefix}${key}`;
    if (schema.type === 'object') return settingsOf(schema, `${name}.`);
    const type = schema.type === 'array' ? `array of ${String(schema.items?.type)}` : String(schema.type);
    const values = schema.enum ?? (schema.const !== undefined ? [schema.const] : null);
    return [{ name, isOptional: !(object.required ?? []).includes(key), default: schema.default ?? null, type, values }];
  });
}

/** The schema's settings by platform (one `''` entry for a schema without platforms). */
function settingsByPlatform(adapter: AnyChannelAdapter): Map<string, Setting[]> {
  const schema = z.toJSONSchema(adapter.configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  if (!schema.oneOf) return new Map([['', settingsOf(schema)]]);
  return new Map(schema.oneOf.map((variant) => [String(variant.properties?.platform?.const), settingsOf(variant)]));
}

const fieldsFor = (adapter: AnyChannelAdapter, platform: string): ConnectField[] =>
  adapter.connectFields.filter((field) => platform === '' || field.platforms === undefined || field.platforms.includes(platform));

const KIND_OF_TYPE: Record<string, ConnectField['kind'][]> = {
  string: ['text', 'secret', 'url', 'email', 'choice'],
  integer: ['number'],
  number: ['number'],
  boolean: ['boolean'],
  'array of string': ['lines'],
};

/** Settings that are credentials by their name: typed where nobody looking on can read them. */
const CREDENTIAL = /(token|secret|password|apikey|smtpurl)$/i;

describe.each(listAdapters().map((adapter) => [adapter.name, adapter] as const))('the connect form of %s', (_name, adapter) => {
  it('declares-exactly-the-settings-of-its-config-schema', () => {
    for (const [platform, settings] of settingsByPlatform(adapter)) {
      const declared = fieldsFor(adapter, platform).map((field) => field.name);
      expect(declared.toSorted(), `platform ${platform || '(none)'}`).toEqual(settings.map((setting) => setting.name).toSorted());
    }
  });

  it('says-which-settings-are-optional-their-defaults-and-kinds-as-the-schema-does', () => {
    for (const [platform, settings] of settingsByPlatform(adapter)) {
      const fields = fieldsFor(adapter, platform);
      for (const setting of settings) {
        const field = fields.find((f) => f.name === setting.name);
        expect(field?.isOptional, setting.name).toBe(setting.isOptional);
        expect(field?.default ?? null, setting.name).toEqual(Array.isArray(setting.default) ? null : setting.default);
        expect(KIND_OF_TYPE[setting.type] ?? [], `${setting.name} is ${setting.type}`).toContain(field?.kind);
        if (setting.values && setting.values.length > 1) expect(field?.options?.map((o) => o.value).toSorted(), setting.name).toEqual(setting.values.toSorted());
        if (field?.kind === 'choice') expect(setting.values, setting.name).not.toBeNull();
      }
    }
  });

  it('types-every-credential-as-a-secret-and-explains-every-field', () => {
    expect(adapter.connectFields.length).toBeGreaterThan(0);
    for (const field of adapter.connectFields) {
      if (CREDENTIAL.test(field.name)) expect(field.kind, field.name).toBe('secret');
      expect(field.label.trim(), field.name).not.toBe('');
      expect(field.hint.trim(), field.name).not.toBe('');
      if (field.kind === 'secret') expect(field.default, field.name).toBeUndefined();
    }
  });

  it('names-the-setting-the-account-is-known-by-once-for-each-platform', () => {
    for (const platform of settingsByPlatform(adapter).keys()) {
      expect(fieldsFor(adapter, platform).filter((field) => field.identifiesAccount).length, `platform ${platform || '(none)'}`).toBe(1);
    }
  });
});
