import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Every start of the server, every command and every child process loaded the mail parser, the
// IMAP and SMTP libraries, nodemailer and the GOV.UK Notify client (with axios), a third of the
// server's load, whether or not the force used any of them. They are loaded on first use
// (decision 0148). These run the built JavaScript, as a force does, in a fresh process each
// (test/fixtures/module-loading.ts), which says what it loaded.

const FIXTURE = path.resolve('dist/test/fixtures/module-loading.js');
const ON_FIRST_USE = ['imapflow', 'mailparser', 'nodemailer', 'notifications-node-client', 'smtp-server'];

type StepOutcome = { step: string; done?: unknown; error?: string; message?: string; isPayloadError?: boolean; isSendError?: boolean; requests?: number; packages: string[] };

/** Runs the fixture's steps in one fresh process; the outcome of each, by step. */
function runSteps(args: string[]): Promise<Map<string, StepOutcome>> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [FIXTURE, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${error.message}\n${stderr}`));
      const outcomes = stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as StepOutcome);
      resolve(new Map(outcomes.map((outcome) => [outcome.step, outcome])));
    });
  });
}

describe('libraries a force may not use', () => {
  // One fresh process serves the first two tests: its first step imports the server before any
  // other step runs, and each step prints what was loaded so far, so that step's record is what a
  // process that only imported the server would print.
  let firstUse: Promise<Map<string, StepOutcome>> | undefined;
  const importThenUseEach = () => (firstUse ??= runSteps(['import-server', 'parse-mail', 'notify-sms', 'smtp-send', 'imap-poll', 'smtp-listen']));

  it('are-not-loaded-by-importing-the-command-line-or-the-server', async () => {
    const outcomes = await importThenUseEach();
    const loaded = outcomes.get('import-server')?.packages ?? [];
    // What the server needs to serve is loaded: the record of packages is not empty by mistake.
    expect(loaded).toEqual(expect.arrayContaining(['fastify', 'kysely', 'zod']));
    expect(loaded.filter((name) => ON_FIRST_USE.includes(name))).toEqual([]);
  });

  it('are-loaded-by-their-first-use-in-a-fresh-process-which-works', async () => {
    const outcomes = await importThenUseEach();
    expect(outcomes.get('parse-mail')).toMatchObject({ done: [{ id: 'bike-1@example.org', body: 'My bike was taken from the station.' }] });
    expect(outcomes.get('parse-mail')?.packages).toContain('mailparser');
    expect(outcomes.get('notify-sms')).toMatchObject({ done: '740e5834-3a29-46b4-9a6f-16142fde533a', requests: 1 });
    expect(outcomes.get('notify-sms')?.packages).toContain('notifications-node-client');
    // Nothing listens there: the library loaded and tried to connect.
    expect(outcomes.get('smtp-send')).toMatchObject({ message: expect.stringContaining('ECONNREFUSED') });
    expect(outcomes.get('smtp-send')?.packages).toContain('nodemailer');
    expect(outcomes.get('imap-poll')).toMatchObject({ message: expect.stringContaining('ECONNREFUSED') });
    expect(outcomes.get('imap-poll')?.packages).toContain('imapflow');
    expect(outcomes.get('smtp-listen')).toMatchObject({ done: 'listened' });
    expect(outcomes.get('smtp-listen')?.packages).toContain('smtp-server');
  });

  it('that-will-not-load-fail-their-use-saying-which-never-as-a-bad-mail-or-a-provider-refusal', async () => {
    const outcomes = await runSteps([`--refuse=${ON_FIRST_USE.join(',')}`, 'import-server', 'parse-mail', 'notify-sms', 'smtp-send', 'imap-poll', 'smtp-listen']);
    // A server whose force uses none of them still starts.
    expect(outcomes.get('import-server')).toMatchObject({ done: 'imported' });
    const failed = (step: string, library: string) => ({
      error: 'ModuleLoadError',
      message: expect.stringMatching(new RegExp(`^the .+ \\(${library}\\) could not be loaded: Cannot find package '${library}'`)),
      // A mail is not quarantined as unreadable (the listener answers 451, the poll leaves it
      // unseen), and a message does not move to its next channel as if Notify refused it.
      isPayloadError: false,
      isSendError: false,
      step,
    });
    expect(outcomes.get('parse-mail')).toMatchObject(failed('parse-mail', 'mailparser'));
    expect(outcomes.get('notify-sms')).toMatchObject({ ...failed('notify-sms', 'notifications-node-client'), requests: 0 });
    expect(outcomes.get('smtp-send')).toMatchObject(failed('smtp-send', 'nodemailer'));
    expect(outcomes.get('imap-poll')).toMatchObject(failed('imap-poll', 'imapflow'));
    expect(outcomes.get('smtp-listen')).toMatchObject(failed('smtp-listen', 'smtp-server'));
  });
});
