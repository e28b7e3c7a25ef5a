import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { idField, instantField, isPlausibleInstant } from './request-fields.ts';

describe('idField', () => {
  it('takes an id in any case and hands it on lower-cased', () => {
    expect(idField('must be a unit id').parse('0F8FAD5B-D9CB-469F-A165-70867728950E')).toBe('0f8fad5b-d9cb-469f-a165-70867728950e');
    expect(z.array(idField()).parse(['0f8fad5b-d9cb-469f-a165-70867728950e', '0F8FAD5B-D9CB-469F-A165-70867728950e'])).toEqual([
      '0f8fad5b-d9cb-469f-a165-70867728950e',
      '0f8fad5b-d9cb-469f-a165-70867728950e',
    ]);
  });

  it('refuses-what-is-not-an-id with the message it was given', () => {
    const result = idField('must be a unit id').safeParse('RC10');
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(['must be a unit id']);
  });

  it('stays a uuid string in the API document', () => {
    expect(z.toJSONSchema(idField(), { io: 'input' })).toMatchObject({ type: 'string', format: 'uuid' });
  });
});

describe('instantField', () => {
  const field = instantField('must be a date and time (ISO 8601)');
  const messages = (value: string) => field.safeParse(value).error?.issues.map((issue) => issue.message) ?? [];

  it('takes a date and time from 2000 to 2099, with any offset', () => {
    expect(messages('2026-03-05T10:00:00Z')).toEqual([]);
    expect(messages('2000-01-01T00:00:00Z')).toEqual([]);
    expect(messages('2099-12-31T23:59:59.999999Z')).toEqual([]);
    expect(messages('2026-03-05T10:00:00+01:00')).toEqual([]);
  });

  it('refuses-year-0-and-9999 as ISO 8601 allows them, saying what is allowed', () => {
    for (const value of ['0000-01-01T00:00:00Z', '0001-01-01T00:00:00+14:00', '1999-12-31T23:59:59Z', '2000-01-01T00:30:00+01:00', '2100-01-01T00:00:00Z', '9999-12-31T23:59:59Z']) {
      expect(messages(value), value).toEqual(['must be from 1 January 2000 to 31 December 2099']);
    }
    expect(isPlausibleInstant('2026-13-01T00:00:00Z')).toBe(false);
  });

  it('says only what the format wants of what is no date', () => {
    expect(messages('yesterday')).toEqual(['must be a date and time (ISO 8601)']);
  });

  it('stays a date-time string in the API document', () => {
    expect(z.toJSONSchema(field, { io: 'input' })).toMatchObject({ type: 'string', format: 'date-time' });
  });
});
