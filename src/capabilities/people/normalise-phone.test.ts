import { describe, expect, it } from 'vitest';
import { normaliseIdentity } from './people.service.ts';
import { normalisePhone } from './people.schema.ts';

describe('normalisePhone', () => {
  it('takes the numbers the portal gives as examples, and one number written any way is one number', () => {
    expect(normalisePhone('07700 900 982')).toBe('+447700900982');
    expect(normalisePhone('01632 960 001')).toBe('+441632960001');
    for (const written of ['07700900123', '+44 7700 900123', '(07700) 900-123', '+447700900123']) {
      expect(normaliseIdentity('phone', written), written).toBe('+447700900123');
    }
    expect(normalisePhone('07911 123456')).toBe('+447911123456');
    expect(normalisePhone('+1 202 555 0143')).toBe('+12025550143');
  });

  it('refuses what cannot be a phone number', () => {
    for (const text of ['call the front desk', '123', '0791112345678901', '']) expect(normalisePhone(text), text).toBeNull();
  });
});
