import { describe, expect, it } from 'vitest';
import { writtenInWelsh } from './written-language.schema.ts';

describe('a message written in Welsh', () => {
  it.each([
    'Mae rhywun wedi torri mewn i fy nghar neithiwr',
    'Helo, dw i ddim yn teimlo yn saff, mae fy nghymydog yn fy mygwth',
    'Diolch am ffonio. Pryd fydd yr heddlu yn dod?',
    'RWAN! Mae dyn gyda chyllell tu allan i’r tŷ',
  ])('reads "%s" as Welsh', (text) => {
    expect(writtenInWelsh(text)).toBe('cy');
  });

  it.each([
    'Someone has broken into my car outside the house last night',
    'My neighbour Beth threatened me, please help',
    'Can I report a stolen bike on Heol y Bont, Pontypridd?',
    'Yn',
    '',
    'I was at Pen y Fan with my dog',
  ])('does not read "%s" as Welsh', (text) => {
    expect(writtenInWelsh(text)).toBeNull();
  });
});
