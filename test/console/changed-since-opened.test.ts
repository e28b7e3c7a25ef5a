// What a message template form becomes when someone else saved the text after the admin opened it
// (decision 0082), without a browser: the shared rebase the journey rule form uses too.
import { describe, expect, it } from 'vitest';
import { rebaseChange } from '../../web/console/src/changed-since-opened.ts';

const FIELDS = ['subject', 'body'] as const;
const opened = { subject: 'Your case', body: 'We have your case {{caseReference}}.' };

describe('a template text saved from the text as opened', () => {
  it('takes-the-other-admin-s-subject-when-this-admin-changed-only-the-body', () => {
    const current = { subject: 'Your case has an officer', body: opened.body };
    const { form, clashes } = rebaseChange(FIELDS, opened, { ...opened, body: 'Mine.' }, current);
    expect(form).toEqual({ subject: 'Your case has an officer', body: 'Mine.' });
    expect(clashes).toEqual([]);
  });

  it('keeps-this-admin-s-body-and-names-it-when-both-changed-it-differently', () => {
    const current = { subject: opened.subject, body: 'Theirs.' };
    const { form, clashes } = rebaseChange(FIELDS, opened, { ...opened, body: 'Mine.' }, current);
    expect(form).toEqual({ subject: opened.subject, body: 'Mine.' });
    expect(clashes).toEqual([{ field: 'body', yours: 'Mine.', theirs: 'Theirs.' }]);
    // Both wrote the same words: nothing to choose between.
    expect(rebaseChange(FIELDS, opened, { ...opened, body: 'Theirs.' }, current).clashes).toEqual([]);
  });

  it('treats-a-text-not-written-when-opened-as-empty', () => {
    const { form, clashes } = rebaseChange(FIELDS, { subject: '', body: '' }, { subject: 'Eich achos', body: 'Mine.' }, { subject: 'Achos', body: 'Theirs.' });
    expect(form).toEqual({ subject: 'Eich achos', body: 'Mine.' });
    expect(clashes.map((c) => c.field)).toEqual(['subject', 'body']);
  });
});
