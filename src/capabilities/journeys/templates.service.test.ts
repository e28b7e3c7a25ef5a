import { describe, expect, it } from 'vitest';
import { checkTemplatePlaceholders, placeholdersIn, previewTemplate } from './templates.service.ts';
import { maskAccessCodes } from '../outbox/outbox.service.ts';

describe('template placeholders', () => {
  it('finds each placeholder once, spaces allowed', () => {
    expect(placeholdersIn('Hi {{ name }}, {{reference}} and {{name}} again')).toEqual(['name', 'reference']);
  });

  it('refuses-unknown-placeholders, naming the field and what the message fills', () => {
    expect(checkTemplatePlaceholders('case.report_received', { subject: 'Report {{refrence}}', body: 'Hello {{name}}' })).toEqual([
      { path: 'body.subject', message: expect.stringMatching(/^uses \{\{refrence\}\}, which this message does not fill \(it fills \{\{name\}\}, \{\{reference\}\}, \{\{caseReference\}\}, /) },
    ]);
    // A journey message fills the milestone's particulars too.
    expect(checkTemplatePlaceholders('case.court_date_set', { subject: 'Court on {{date}}', body: 'At {{place}}, {{time}}' })).toEqual([]);
  });

  it('refuses a code email without its code, wherever the rest is fine', () => {
    expect(checkTemplatePlaceholders('portal.access_code', { subject: 'Your code', body: 'Report {{reference}}' })).toEqual([
      { path: 'body.body', message: 'must include {{code}}' },
    ]);
    expect(checkTemplatePlaceholders('portal.access_code', { subject: 'Cod {{reference}}', body: 'Eich cod yw {{code}}' })).toEqual([]);
  });

  it('previews with made-up values and never a real code', () => {
    expect(previewTemplate('portal.access_code', { subject: 'Code for {{reference}}', body: 'It is {{code}}, {{forceName}}' }, { name: 'Northshire Police', code: 'NSP', year: 2026 })).toEqual({
      subject: 'Code for NSP-2026-000123',
      body: 'It is ••••••, Northshire Police',
    });
  });
});

describe('masking check-my-report codes', () => {
  const reference = 'DEMO-2026-000777';

  it('masks six digits standing alone, together or spaced', () => {
    expect(maskAccessCodes('Your code is 048213.', reference)).toBe('Your code is ••••••.');
    expect(maskAccessCodes('Type 048 213 now', reference)).toBe('Type •••••• now');
  });

  it('keeps the message own reference and masks every other digit, wherever a template puts the code', () => {
    expect(maskAccessCodes(`Report ${reference} is 048213`, reference)).toBe(`Report ${reference} is ••••••`);
    expect(maskAccessCodes('Code X048213, 0048213, 048213A', reference)).toBe('Code X••••••, ••••••, ••••••A');
    expect(maskAccessCodes(`${reference}048213 and 048213${reference}`, reference)).toBe(`${reference}•••••• and ••••••${reference}`);
    // Shaped like a reference is not enough: a template could write DEMO-2026-{{code}}.
    expect(maskAccessCodes('Report DEMO-2026-048213 and DEMO-C-2026-000045', reference)).toBe('Report DEMO-••••••-•••••• and DEMO-C-••••••-••••••');
    expect(maskAccessCodes('Call 01234567890 at 10:30', reference)).toBe('Call •••••• at ••••••:••••••');
  });

  it('masks every digit when the message has no reference', () => {
    expect(maskAccessCodes(`Report ${reference} is 048213`, null)).toBe('Report DEMO-••••••-•••••• is ••••••');
  });
});
