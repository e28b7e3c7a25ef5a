import { describe, expect, it } from 'vitest';
import { formatWhen } from './message-render.schema.ts';

// How a victim reads a moment in a message: UK time, their language, the day as the sentence needs it.

describe('a moment in a victim message', () => {
  it('is-told-on-uk-time-in-english', () => {
    // 09:30 UTC in summer is 10:30 in the UK.
    expect(formatWhen(new Date('2026-06-16T09:30:00Z'), 'en')).toEqual({ date: 'Tuesday 16 June 2026', time: '10:30' });
    expect(formatWhen(new Date('2026-01-13T09:30:00Z'), 'en')).toEqual({ date: 'Tuesday 13 January 2026', time: '09:30' });
  });

  it('softens-the-day-in-welsh-as-it-follows-ar-or-i', () => {
    const days = ['16', '17', '18', '19', '20', '21', '22'].map((day) => formatWhen(new Date(`2026-03-${day}T12:00:00Z`), 'cy').date);
    expect(days).toEqual([
      'ddydd Llun 16 Mawrth 2026',
      'ddydd Mawrth 17 Mawrth 2026',
      'ddydd Mercher 18 Mawrth 2026',
      'ddydd Iau 19 Mawrth 2026',
      'ddydd Gwener 20 Mawrth 2026',
      'ddydd Sadwrn 21 Mawrth 2026',
      'ddydd Sul 22 Mawrth 2026',
    ]);
    expect(formatWhen(new Date('2026-03-17T14:05:00Z'), 'cy').time).toBe('14:05');
  });
});
