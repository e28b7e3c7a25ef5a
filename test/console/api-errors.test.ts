// The console's one error type: a refusal from the server becomes sentences a person can act on,
// each naming its field in words, never the raw path the validator gives.
import { describe, expect, it } from 'vitest';
import { ApiError, describeIssue, errorFromResponse, nameField, toUiError } from '../../web/console/src/api/errors.ts';

describe('naming a field', () => {
  it('names a body field by what people call it, and keys it by its place in the body', () => {
    expect(nameField('body.reason')).toEqual({ path: 'reason', label: 'Reason' });
    expect(nameField('body.body')).toEqual({ path: 'body', label: 'Reply' });
    expect(nameField('body.staffId')).toEqual({ path: 'staffId', label: 'Person' });
  });

  it('counts items of a list from one, as a person does', () => {
    expect(nameField('body.rules.0.weight')).toEqual({ path: 'rules.0.weight', label: 'Weight of rule 1' });
    expect(nameField('body.rules.2.variants.1')).toEqual({ path: 'rules.2.variants.1', label: 'Variant 2 of rule 3' });
    expect(nameField('body.capabilities.1')).toEqual({ path: 'capabilities.1', label: 'Capability 2' });
  });

  it('names a field inside a group after the group', () => {
    expect(nameField('body.threat.rating')).toEqual({ path: 'threat.rating', label: 'Threat rating' });
  });

  it('names a field it has no word for from its key, and keeps the prefix of a query parameter', () => {
    expect(nameField('body.queueId')).toEqual({ path: 'queueId', label: 'Queue id' });
    expect(nameField('query.state')).toEqual({ path: 'query.state', label: 'State' });
  });

  it('calls the body as a whole what was sent', () => {
    expect(nameField('body')).toEqual({ path: '', label: 'What was sent' });
  });
});

describe('saying what is wrong', () => {
  it.each([
    ['body.rules.0.weight', 'Too big: expected number to be <=100', 'Weight of rule 1 must be 100 or less'],
    ['body.rules.0.weight', 'Too small: expected number to be >=-100', 'Weight of rule 1 must be -100 or more'],
    ['body.rules.0.weight', 'Invalid input: expected int, received number', 'Weight of rule 1 must be a whole number'],
    ['body.rules.1.phrase', 'Too small: expected string to have >=1 characters', 'Phrase of rule 2 cannot be empty'],
    ['body.note', 'Too big: expected string to have <=2000 characters', 'Note must be 2,000 characters or fewer'],
    ['body.rules', 'Too small: expected array to have >=1 items', 'Rules must have at least 1 entry'],
    ['body.outcome', 'Invalid option: expected one of "advice_given"|"referred"', 'Outcome must be one of the choices offered'],
    ['body.email', 'Invalid email address', 'Email address must be an email address, like name@example.org'],
    ['body.reason', 'Invalid input: expected string, received undefined', 'Reason is missing'],
    ['body', 'Unrecognized key: "isAdmin"', 'What was sent included something that is not accepted here: "isAdmin"'],
  ])('%s: %s', (path, problem, sentence) => {
    expect(describeIssue(path, problem).message).toBe(sentence);
  });

  it("puts the server's own wording after the field's name when it is written to follow it", () => {
    expect(describeIssue('body.newPassword', 'must be at least 12 characters long').message).toBe('Your new password must be at least 12 characters long');
    expect(describeIssue('body.body', 'must not be empty').message).toBe('Reply must not be empty');
  });

  it('keeps any other wording, after the name of its field', () => {
    expect(describeIssue('body.reason', 'a regrade needs a reason').message).toBe('Reason: a regrade needs a reason');
  });
});

describe('an error from a response', () => {
  it('drops a summary that repeats the raw paths, leaving the fields to say it', () => {
    const error = errorFromResponse(400, {
      error: {
        code: 'validation_failed',
        message: 'Invalid input: body.rules.0.weight: Too big: expected number to be <=100',
        fields: [{ path: 'body.rules.0.weight', message: 'Too big: expected number to be <=100' }],
      },
    });
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe('validation_failed');
    expect(error.message).toBe('');
    expect(error.fields).toEqual([{ path: 'rules.0.weight', message: 'Weight of rule 1 must be 100 or less' }]);
  });

  it("uses the server's sentence for each field and drops a message that only repeats them", () => {
    const error = errorFromResponse(400, {
      error: {
        code: 'validation_failed',
        message: 'Message cannot be empty.',
        fields: [{ path: 'body.body', message: 'cannot be empty', label: 'Message', sentence: 'Message cannot be empty' }],
      },
    });
    expect(error.message).toBe('');
    expect(error.fields).toEqual([{ path: 'body', message: 'Message cannot be empty' }]);
  });

  it("keeps the server's message when it says more than the fields", () => {
    const error = errorFromResponse(400, {
      error: { code: 'validation_failed', message: 'Your password was not changed', fields: [{ path: 'body.newPassword', message: 'must be at least 12 characters long' }] },
    });
    expect(error.message).toBe('Your password was not changed');
  });

  it('says something a person can act on when the body is not the error body (a proxy page, say)', () => {
    const error = errorFromResponse(502, '<html>Bad gateway</html>');
    expect(error.status).toBe(502);
    expect(error.message).toBe('Something went wrong on the server. Try again.');
    expect(error.fields).toEqual([]);
  });

  it('gives the same object for the same failure, so a summary does not take focus again on every render', () => {
    const failure = new TypeError('boom');
    expect(toUiError(failure)).toBe(toUiError(failure));
    expect(toUiError(failure)?.message).toBe('Something went wrong. Try again.');
    expect(toUiError(null)).toBeNull();
  });
});
