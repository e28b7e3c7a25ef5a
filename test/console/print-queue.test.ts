// The print queue's addresses and words, and the words for a victim with no name on the
// supervisors' list and the case page.
import { describe, expect, it } from 'vitest';
import { parsePrintQueuePath, printQueueHref } from '../../web/console/src/screens/print-queue/print-queue-routes.ts';
import { waitedText } from '../../web/console/src/screens/print-queue/PrintQueue.tsx';
import { overtakenSentence, takenSentence } from '../../web/console/src/screens/print-queue/PrintLetter.tsx';
import { letterChanges, letterChangesText, type HeardChange } from '../../web/console/src/screens/print-queue/print-queue-announce.ts';
import { letterTakingFocus } from '../../web/console/src/screens/print-queue/print-queue-focus.ts';
import type { LetterToPrint } from '../../web/console/src/screens/print-queue/print-queue-api.ts';
import { addressee } from '../../web/console/src/screens/print-queue/print-queue-api.ts';
import { missedTimescaleText, victimInSentence, victimNameText } from '../../web/console/src/screens/cases/case-text.ts';
import type { VictimUpdate } from '../../web/console/src/api/cases.ts';

// Partial letters and updates below (`as`): each function reads only the fields given.
const LETTER_ID = '0b9f6c1e-3d5a-4f7b-9c2e-1a2b3c4d5e6f';
const HOUR_MS = 3_600_000;

describe('the print queue', () => {
  it('answers to its list and to one letter, and to nothing else under it', () => {
    expect(parsePrintQueuePath('/print-queue')).toEqual({ name: 'list' });
    expect(parsePrintQueuePath('/print-queue/')).toEqual({ name: 'list' });
    expect(parsePrintQueuePath(`/print-queue/${LETTER_ID}`)).toEqual({ name: 'letter', id: LETTER_ID });
    expect(parsePrintQueuePath('/print-queue/not-a-letter')).toBeNull();
    expect(parsePrintQueuePath('/print-queues')).toBeNull();
    expect(printQueueHref({ name: 'letter', id: LETTER_ID })).toBe(`#/print-queue/${LETTER_ID}`);
  });

  it('says who took a letter open on screen, and not to post it', () => {
    const printed = { letterId: LETTER_ID, change: 'printed', byStaffId: 's1' } as const;
    const withdrawn = { letterId: LETTER_ID, change: 'withdrawn', byStaffId: null } as const;
    expect(takenSentence(printed, 'Pat Printer', 'Ann Example')).toBe('Pat Printer marked the letter to Ann Example printed and posted. Do not print or post it again.');
    expect(takenSentence({ ...printed, byStaffId: null }, null, 'Ann Example')).toBe('The letter to Ann Example was marked printed and posted. Do not print or post it again.');
    expect(takenSentence({ ...withdrawn, byStaffId: 's1' }, 'Someone else', 'Ann Example')).toBe('Someone else withdrew the letter to Ann Example. Do not post it.');
    // Withdrawn by the system: what it told no longer stands, and the case says why.
    expect(takenSentence(withdrawn, null, 'Ann Example')).toBe('The letter to Ann Example was withdrawn and must not be posted. Its case says why.');
  });

  it('says an open letter overtaken must not be posted now, and why', () => {
    expect(overtakenSentence('the appointment was cancelled', 'Ann Example')).toBe('The letter to Ann Example must not be posted now: the appointment was cancelled. Do not print or post it.');
  });

  it('sums up what changed in the list in one announcement, never this person’s own marks', () => {
    const letter = (id: string, doNotPrint: string | null = null) => ({ id, doNotPrint }) as LetterToPrint;
    const before = [letter('a'), letter('b'), letter('c'), letter('d'), letter('e'), letter('f')];
    const after = [letter('a', 'the appointment was changed'), letter('b'), letter('g'), letter('h')];
    const heard = new Map<string, HeardChange>([
      ['c', { change: 'printed', byStaffId: 'colleague' }],
      ['d', { change: 'withdrawn', byStaffId: null }],
      // This person's own mark, in another window: said there, not here.
      ['e', { change: 'printed', byStaffId: 'me' }],
    ]);
    const changes = letterChanges(before, after, heard, 'me');
    // f left unheard of (read again on "Refresh").
    expect(changes).toEqual({ added: 2, taken: 1, withdrawn: 1, overtaken: 1, left: 1 });
    expect(letterChangesText(changes)).toBe(
      '2 letters added to the print queue. 1 letter taken by a colleague. 1 letter withdrawn, not to be posted. 1 letter must no longer be posted. 1 letter no longer in the print queue.',
    );
    expect(letterChangesText(letterChanges([letter('a')], [], new Map([['a', { change: 'withdrawn', byStaffId: 'colleague' }]]), 'me'))).toBe('1 letter taken by a colleague.');
    expect(letterChangesText(letterChanges([letter('e')], [], heard, 'me'))).toBeNull();
    expect(letterChangesText(letterChanges(before, before, heard, 'me'))).toBeNull();
  });

  it('gives focus from a letter that left the list to the next still listed, else the one before, else none', () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((id) => ({ id }) as LetterToPrint) as [LetterToPrint, LetterToPrint, LetterToPrint, LetterToPrint];
    const ids = (letter: LetterToPrint | undefined) => letter?.id;
    expect(ids(letterTakingFocus([a, b, c], [a, c], 'b'))).toBe('c');
    // The next one left with it: the one after that.
    expect(ids(letterTakingFocus([a, b, c, d], [a, d], 'b'))).toBe('d');
    // The last: the one before; with a letter added at the end meanwhile, the one before still.
    expect(ids(letterTakingFocus([a, b, c], [a, b], 'c'))).toBe('b');
    expect(ids(letterTakingFocus([a, b, c], [a, b, d], 'c'))).toBe('b');
    // Every letter shown went and new ones came: the first listed now.
    expect(ids(letterTakingFocus([a, b], [c, d], 'a'))).toBe('c');
    expect(letterTakingFocus([a], [], 'a')).toBeUndefined();
    expect(letterTakingFocus([a], [b], 'x')).toBeUndefined();
  });

  it('says how long a letter has waited in words', () => {
    const queued = '2026-05-06T09:00:00.000Z';
    const at = (hours: number) => Date.parse(queued) + hours * HOUR_MS;
    expect(waitedText(queued, at(0.5))).toBe('under an hour');
    expect(waitedText(queued, at(1))).toBe('1 hour');
    expect(waitedText(queued, at(23))).toBe('23 hours');
    expect(waitedText(queued, at(24))).toBe('1 day');
    expect(waitedText(queued, at(75))).toBe('3 days');
  });

  it('names whom a letter is to by the first line of its address', () => {
    expect(addressee({ recipient: 'Rhian Example\n4 Bridge Street' } as Parameters<typeof addressee>[0])).toBe('Rhian Example');
    expect(addressee({ recipient: 'Sam Other, 9 Mill Lane' } as Parameters<typeof addressee>[0])).toBe('Sam Other');
  });
});

describe('a victim with no name, in words', () => {
  const update = (victimName: string | null) => ({ victimName }) as Pick<VictimUpdate, 'victimName'>;

  it('never-leaves-a-victim-blank', () => {
    expect(victimNameText(update('Kim Later'))).toBe('Kim Later');
    expect(victimNameText(update(''))).toBe('Name not known');
    expect(victimNameText(update('  '))).toBe('Name not known');
    expect(victimNameText(update(null))).toBe('Victim not yet named');
    expect(victimInSentence(update(''))).toBe('the victim');
  });

  it('says a missed update of a victim with no name recorded was missed before the victim was named, not before a blank', () => {
    const missed = { victimName: '', missedBeforeNamed: true, workingDays: 5, duty: 'arrest', victimEnhancedRights: false, enhancedRights: false, standing: 'overdue' } as VictimUpdate;
    expect(missedTimescaleText(missed)).toBe('Missed before the victim was named, against the 5 working days owed then.');
  });
});
