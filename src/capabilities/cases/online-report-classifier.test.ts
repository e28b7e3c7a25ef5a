import { describe, expect, it } from 'vitest';
import { CRIME_TYPES } from './case-catalogues.repository.ts';
import { suggestCrimeType } from './online-report-classifier.schema.ts';

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

  it('reads Welsh cues whatever mutation the word takes after the word before it', () => {
    const suggest = (text: string) => suggestCrimeType(text, [], all).crimeType;
    // "beic" is "meic" after "fy" (my); "dwyn" is "ddwyn" after "ei".
    expect(suggest('Cafodd fy meic ei ddwyn o’r tu allan i’r orsaf')).toBe('THF-BIC');
    expect(suggest('Mae fy nghar wedi ei ddwyn o’r maes parcio')).toBe('THF-VEH');
    // "cyllell" (knife) is "gyllell" after "ei" (his).
    expect(suggest('Roedd ei gyllell yn ei boced')).toBe('WPN');
    // "treisio" (to rape) is "nhreisio" after "fy".
    expect(suggest('Cefais fy nhreisio neithiwr')).toBe('SEX-RAP');
    // "trywanu" (to stab) is "drywanu" after "ei" (him).
    expect(suggest('Cafodd fy mrawd ei drywanu y tu allan i’r dafarn')).toBe('VAP-VWI');
    expect(suggest('Mae’r dyn drws nesaf yn gwerthu cyffuriau o’i dŷ')).toBe('DRG-TRF');
    expect(suggest('Fe wnaeth e fy nhwyllo i dalu arian i’w gyfrif')).toBe('FRD');
    expect(suggest('Gwaeddodd sylwadau hiliol arnaf yn y stryd')).toBe('PUB');
  });

  it('does not read a Welsh cue into a common word that only begins like one', () => {
    // "arfer" (usually) begins like "arf" (weapon); "wnaeth" (did) like a mutated "gwn" (gun).
    expect(suggestCrimeType('Rwy’n arfer cerdded y ci yma ond wnaeth neb ddim byd', [], all)).toEqual({ crimeType: null, reasons: [] });
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
