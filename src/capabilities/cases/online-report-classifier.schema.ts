import type { SuggestionReason } from '../../platform/db/case-tables.ts';
import { withMutations } from '../../platform/welsh-mutations.ts';

// A transparent first guess at an online report's crime type, for the person who classifies it.
// Each Home Office crime type has cues (words and phrases, English and Welsh) with weights; the
// report's triage categories add theirs. The type with the highest total is suggested, with every
// cue that counted for it, so the classifier can be read, checked and argued with. It suggests; a
// person decides (POST /api/online-reports/:id/classify).

type Cue = { pattern: RegExp; label: string; weight: number };

/** `word` matches at word starts: "burgl" finds burglary and burgled. */
const cue = (words: string, weight: number): Cue => ({ pattern: new RegExp(`(?<![\\p{L}\\p{N}])(?:${words})`, 'iu'), label: words.split('|')[0] ?? words, weight });

/**
 * Welsh words and phrases, each whole, in every form its first word takes after the word before it
 * ("beic" is "meic" after "fy", "cyllell" is "gyllell" after "ei"). Whole words, since a mutated
 * form is often the start of another word ("meic" of "meicrodon", microwave).
 */
const cy = (words: string, weight: number): Cue => {
  const forms = withMutations(words.split('|'));
  return { pattern: new RegExp(`(?<![\\p{L}\\p{N}])(?:${forms.join('|')})(?![\\p{L}\\p{N}])`, 'iu'), label: words.split('|')[0] ?? words, weight };
};

/** Cues per crime type (codes of case-catalogues.repository.ts). Specific cues weigh more than generic ones. */
export const CRIME_TYPE_CUES: Readonly<Record<string, readonly Cue[]>> = {
  'THF-BRE': [cue('burgl', 3), cue('broke into (?:my|our|the) (?:house|home|flat|property)|broken into', 3), cue('break-in|break in', 3), cue('forced (?:the|my|our) (?:back |front )?(?:door|window)', 2), cy('byrgleriaeth|byrgler|torri i mewn|torrodd rhywun i mewn', 3)],
  'THF-VEH': [cue('(?:car|van|motorbike|vehicle) (?:was |has been )?stolen|stole my (?:car|van)', 4), cue('catalytic converter', 4), cue('number plates?', 3), cue('broke into my car|from my car', 3), cy('car wedi ei ddwyn|car wedi cael ei ddwyn|fan wedi ei ddwyn', 4)],
  'THF-BIC': [cue('bike|bicycle|e-bike', 3), cy('beic|beiciau', 3)],
  'THF-SHP': [cue('shoplift|shop lift', 4), cue('(?:stole|took) (?:\\w+ )?from (?:the|our|my) (?:shop|store)', 3), cy('dwyn o siop|dwyn o’r siop|dwyn o\'r siop', 4)],
  'THF-TFP': [cue('pickpocket|pick-pocket', 4), cue('snatched (?:my|her|his)', 3)],
  'ROB-PER': [cue('robbed|robbery|mugged|mugging', 4), cy('lladrad|lladrata|lladradwyd', 2)],
  CDA: [cue('criminal damage|vandal', 4), cue('scratched|keyed|smashed|graffiti|damaged', 3), cue('arson|set fire|set alight', 4), cy('difrod|difrodi|difrodwyd|crafu|crafwyd|wedi malu', 3)],
  'VAP-VWI': [cue('punched|stabbed|kicked|headbutted|glassed', 3), cue('injur|bleeding|broken nose|bruis', 2), cue('assault', 2), cy('ymosod|ymosododd|ymosodiad|ymosodwyd', 2), cy('trywanu|trywanwyd|dyrnu|dyrnodd|cicio|ciciodd', 3), cy('anaf|anafu|anafwyd|anafiadau', 2)],
  'VAP-VWO': [cue('threatened|threatening|pushed|shoved|spat at', 3), cy('bygwth|bygythiodd|bygythiol|bygythiad', 3)],
  'VAP-SAH': [cue('harass|stalk', 4), cue('keeps (?:messaging|calling|texting)|following me', 3), cy('aflonyddu|stelcian|stelcio', 4)],
  FRD: [cue('scam|fraud|phishing|conned', 4), cue('bank transfer|my bank|card details', 2), cy('twyll|twyllo|twyllodd|twyllwyd|sgam', 4)],
  'SEX-OTH': [cue('indecent|exposed himself|exposed herself|groped|sexual', 4), cy('ymosodiad rhywiol|ymosod yn rhywiol', 4)],
  'SEX-RAP': [cue('raped|rape', 5), cy('treisio|treisiodd|treisiwyd|trais rhywiol', 5)],
  'DRG-TRF': [cue('dealing drugs|drug deal|selling drugs', 4), cy('gwerthu cyffuriau|delio cyffuriau', 4)],
  'DRG-POS': [cue('cannabis|cocaine|drugs', 2), cy('cyffuriau|canabis|cocên', 2)],
  WPN: [cue('knife|machete|gun|firearm|weapon', 3), cy('cyllell|cyllyll|dryll|drylliau|arfau', 3)],
  PUB: [cue('abusive|abuse(?:d)? (?:me|us)|racist|homophobic', 2), cy('hiliol|homoffobig', 2)],
  'THF-OTH': [cue('stolen|stole|theft|thief|nicked|taken from', 1), cy('wedi ei ddwyn|dwyn|dygwyd', 1)],
};

/** What a triage category says about the crime type, for reports whose words say little. */
export const CATEGORY_CUES: Readonly<Record<string, { crimeType: string; weight: number }>> = {
  violence: { crimeType: 'VAP-VWI', weight: 2 },
  weapons: { crimeType: 'WPN', weight: 2 },
  sexual_offence: { crimeType: 'SEX-OTH', weight: 3 },
  domestic_abuse: { crimeType: 'VAP-VWO', weight: 1 },
  hate: { crimeType: 'PUB', weight: 2 },
  fire: { crimeType: 'CDA', weight: 2 },
};

/** A suggestion: the crime type (null when nothing pointed anywhere) and the cues that led to it. */
export type CrimeTypeSuggestion = { crimeType: string | null; reasons: SuggestionReason[] };

/**
 * Suggests a crime type for a report's text and triage categories, among `allowed` (the force's
 * active crime types): the highest total of cue weights wins; a tie goes to the type listed first.
 */
export function suggestCrimeType(text: string, categories: readonly string[], allowed: ReadonlySet<string>): CrimeTypeSuggestion {
  const found = new Map<string, SuggestionReason[]>();
  const add = (reason: SuggestionReason) => {
    if (!allowed.has(reason.crimeType)) return;
    found.set(reason.crimeType, [...(found.get(reason.crimeType) ?? []), reason]);
  };
  for (const [crimeType, cues] of Object.entries(CRIME_TYPE_CUES)) {
    for (const { pattern, weight } of cues) {
      const match = pattern.exec(text);
      if (match) add({ crimeType, cue: `“${match[0]}”`, weight });
    }
  }
  for (const category of new Set(categories)) {
    const hint = CATEGORY_CUES[category];
    if (hint) add({ crimeType: hint.crimeType, cue: `triage: ${category}`, weight: hint.weight });
  }
  let best: { crimeType: string; total: number } | null = null;
  for (const [crimeType, reasons] of found) {
    const total = reasons.reduce((sum, reason) => sum + reason.weight, 0);
    if (!best || total > best.total) best = { crimeType, total };
  }
  return best ? { crimeType: best.crimeType, reasons: found.get(best.crimeType) ?? [] } : { crimeType: null, reasons: [] };
}
