import { describe, expect, it } from 'vitest';
import { CRIME_TYPES } from './case-catalogues.ts';
import { suggestCrimeType } from './online-report-classifier.ts';

const all = new Set(CRIME_TYPES.map((t) => t.code));

describe('suggesting a crime type for an online report', () => {
  it('suggests residential burglary for a break-in, with the words that led to it', () => {
    const suggestion = suggestCrimeType('Someone broke into our house overnight and stole a laptop', [], all);
    expect(suggestion.crimeType).toBe('THF-BRE');
    expect(suggestion.reasons.map((r) => r.cue)).toContain('“broke into our house”');
  });

  it('prefers the specific (a stolen bike) over the generic (stolen)', () => {
    expect(suggestCrimeType('My bike was stolen from outside the station', [], all).crimeType).toBe('THF-BIC');
  });

  it('reads Welsh cues', () => {
    expect(suggestCrimeType('Mae rhywun wedi crafu fy nghar ar Stryd yr Eglwys', [], all).crimeType).toBe('CDA');
  });

  it("counts the report's triage categories as cues", () => {
    const suggestion = suggestCrimeType('He came at me in the car park', ['violence'], all);
    expect(suggestion).toEqual({ crimeType: 'VAP-VWI', reasons: [{ crimeType: 'VAP-VWI', cue: 'triage: violence', weight: 2 }] });
  });

  it("suggests nothing when nothing points anywhere, and only the force's active types", () => {
    expect(suggestCrimeType('I would like some advice please', [], all)).toEqual({ crimeType: null, reasons: [] });
    expect(suggestCrimeType('My bike was stolen', [], new Set(['THF-OTH'])).crimeType).toBe('THF-OTH');
  });
});
