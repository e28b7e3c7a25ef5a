import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { idField } from './request-fields.ts';

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
