import type { DefaultRule } from './triage.schema.ts';
import { WELSH_RULES } from './triage.default-rules-cy.ts';

// The rule set a new force starts with, kept apart from the engine that scores with it.

/** The first English rules, as every force had them before the rule packs below. */
export const ENGLISH_RULES: DefaultRule[] = [
  { phrase: 'knife', variants: ['knif', 'nife', 'blade', 'kitchen knife'], category: 'weapons', weight: 40 },
  { phrase: 'knives', category: 'weapons', weight: 40 },
  { phrase: 'gun', variants: ['guns', 'pistol', 'shotgun', 'rifle', 'handgun'], category: 'weapons', weight: 45 },
  { phrase: 'firearm', variants: ['firearms', 'fire arm'], category: 'weapons', weight: 45 },
  { phrase: 'machete', variants: ['machetes', 'machette', 'mashete', 'zombie knife'], category: 'weapons', weight: 45 },
  { phrase: 'armed', variants: ['carrying a weapon', 'has a weapon', 'got a weapon'], category: 'weapons', weight: 35 },
  { phrase: 'stabbed', variants: ['stabbing', 'stabed', 'been knifed'], category: 'weapons', weight: 50 },
  { phrase: 'been shot', variants: ['shot at', 'shooting', 'gunshots', 'gun shots'], category: 'weapons', weight: 50 },
  { phrase: 'going to kill me', variants: ['gonna kill me', 'goin to kill me', 'will kill me', 'going to kill us'], category: 'threat_to_life', weight: 60 },
  { phrase: 'going to kill', variants: ['gonna kill', 'will kill'], category: 'threat_to_life', weight: 55 },
  { phrase: 'threatened to kill', variants: ['threatening to kill', 'threatend to kill', 'threats to kill'], category: 'threat_to_life', weight: 55 },
  { phrase: "can't breathe", variants: ['cant breathe', 'cannot breathe', 'not breathing', 'unconscious'], category: 'threat_to_life', weight: 50 },
  { phrase: 'strangled', variants: ['strangling', 'choked me', 'choking me', 'hands round my neck'], category: 'threat_to_life', weight: 55 },
  { phrase: 'dying', variants: ['bleeding heavily', 'lots of blood'], category: 'threat_to_life', weight: 45 },
  { phrase: 'kill myself', variants: ['end it all', 'take my own life', 'kms', 'kill herself', 'kill himself', 'going to kill herself', 'going to kill himself'], category: 'self_harm', weight: 60 },
  { phrase: 'end my life', variants: ['end my own life', 'want to die', 'wanna die'], category: 'self_harm', weight: 60 },
  { phrase: 'suicide', variants: ['suicidal', 'suicde', 'sucide'], category: 'self_harm', weight: 45 },
  { phrase: 'overdose', variants: ['overdosed', 'taken all my pills', 'took all my tablets'], category: 'self_harm', weight: 40 },
  { phrase: 'self harm', variants: ['self-harm', 'self harming', 'self-harming', 'cutting myself', 'hurt myself'], category: 'self_harm', weight: 40 },
  { phrase: 'hit me', variants: ['hits me', 'hitting me', 'beat me', 'beats me', 'slapped me', 'kicked me'], category: 'domestic_abuse', weight: 30 },
  { phrase: 'punched me', variants: ['punches me', 'punching me'], category: 'domestic_abuse', weight: 30 },
  { phrase: 'threatened me', variants: ['threatening me', 'threatend me'], category: 'violence', weight: 20 },
  { phrase: 'my partner', variants: ['my boyfriend', 'my girlfriend', 'my husband', 'my wife'], category: 'domestic_abuse', weight: 10 },
  { phrase: 'my ex', variants: ['my ex-partner', 'my ex partner', 'my ex-husband', 'my ex-wife'], category: 'domestic_abuse', weight: 10 },
  { phrase: 'controlling', variants: ['coercive', 'won’t let me leave', "won't let me leave", 'locked me in'], category: 'domestic_abuse', weight: 15 },
  { phrase: 'child alone', variants: ['kids alone', 'children alone', 'toddler alone', 'baby alone'], category: 'child_at_risk', weight: 40 },
  { phrase: 'left alone', category: 'child_at_risk', weight: 20 },
  { phrase: 'child in danger', variants: ['child is in danger', 'hurting the baby', 'hurting the kids', 'groomed', 'grooming'], category: 'child_at_risk', weight: 40 },
  { phrase: 'missing', variants: ['has gone missing', 'misssing', 'mising'], category: 'missing_person', weight: 30 },
  { phrase: 'not come home', variants: ['not came home', "hasn't come home", 'never came home', 'not been home', "can't find my"], category: 'missing_person', weight: 30 },
  { phrase: 'racist abuse', variants: ['racially abused', 'racist', 'homophobic', 'transphobic'], category: 'hate', weight: 25 },
  { phrase: 'hate crime', variants: ['hate crimes', 'hate incident'], category: 'hate', weight: 25 },
  { phrase: 'drunk driver', variants: ['drunk driving', 'drunk behind the wheel', 'driving erratically', 'swerving all over'], category: 'road_danger', weight: 35 },
  { phrase: 'drink driving', variants: ['drink-driving', 'drink driver', 'drug driving'], category: 'road_danger', weight: 35 },
  { phrase: 'wrong way', variants: ['wrong way down the motorway', 'wrong side of the road'], category: 'road_danger', weight: 35 },
  { phrase: 'assaulted', variants: ['attacked', 'attacking', 'beaten up', 'fighting', 'fight', 'brawl'], category: 'violence', weight: 25 },
  { phrase: 'raped', variants: ['rape', 'sexually assaulted', 'sexual assault', 'indecently exposed'], category: 'sexual_offence', weight: 45 },
  { phrase: 'on fire', variants: ['set fire', 'house fire', 'arson', 'petrol through the letterbox'], category: 'fire', weight: 40 },
  { phrase: 'knife crime statistics', variants: ['knife crime figures'], category: 'exclusion', weight: -40 },
  { phrase: 'knife amnesty', variants: ['knife bin', 'weapons amnesty'], category: 'exclusion', weight: -40 },
  { phrase: 'butter knife', variants: ['bread knife set', 'knife and fork', 'knife sharpener'], category: 'exclusion', weight: -40 },
  { phrase: 'phone is dying', variants: ['battery is dying', 'dying to', 'dying for', 'plant is dying'], category: 'exclusion', weight: -45 },
  { phrase: 'gun crime statistics', variants: ['water gun', 'glue gun', 'nerf gun', 'gun salute', 'firearms licence', 'firearms certificate', 'shotgun certificate'], category: 'exclusion', weight: -45 },
  { phrase: 'missing parcel', variants: ['missing package', 'missing delivery', 'missing you', 'missing wallet'], category: 'exclusion', weight: -25 },
  { phrase: 'fire alarm test', variants: ['fire drill', 'fire safety', 'fireworks'], category: 'exclusion', weight: -40 },
];

/**
 * English rules added with normalisation and phrase patterns: slang weapons, emergencies the first
 * rules missed, and the idioms that used to fire ("dying of laughter", "stabbed in the back").
 */
export const ENGLISH_RULES_2026: DefaultRule[] = [
  { phrase: 'stab', variants: ['stabs', 'shank', 'nank', 'ching', 'chings', 'skeng', 'flick knife', 'bayonet', 'knuckle duster'], category: 'weapons', weight: 40 },
  { phrase: 'at knifepoint', variants: ['at knife point', 'at gunpoint', 'at gun point', 'held at knifepoint', 'held at gunpoint'], category: 'weapons', weight: 45 },
  { phrase: 'acid attack', variants: ['threw acid', 'thrown acid', 'acid in my face', 'crossbow', 'taser'], category: 'weapons', weight: 45 },
  { phrase: 'going to kill myself', variants: ['will kill myself', 'going to end my life', 'will end my life', 'going to take my own life'], category: 'self_harm', weight: 60 },
  { phrase: 'collapsed', variants: ['has collapsed', 'unresponsive', 'having a seizure', 'having a fit', 'no pulse', 'blue lips'], category: 'threat_to_life', weight: 45 },
  { phrase: 'drowning', variants: ['fell in the river', 'someone in the river', 'person in the river', 'man in the river', 'child in the river', 'fell in the water', 'in the sea and struggling', 'went under the water'], category: 'threat_to_life', weight: 45 },
  { phrase: 'drink was spiked', variants: ['been spiked', 'got spiked', 'spiked my drink', 'spiked me', 'drink spiked'], category: 'sexual_offence', weight: 40 },
  { phrase: 'glassed', variants: ['bottled', 'got jumped', 'jumped me', 'mugged', 'robbed me'], category: 'violence', weight: 35 },
  { phrase: 'dying of laughter', variants: ['dying laughing', 'died laughing', 'dying of embarrassment', 'dying of boredom', 'dying of cringe', 'dying to see', 'dying to know'], category: 'exclusion', weight: -45 },
  { phrase: 'killing it', variants: ['killed it', 'kill for a', 'could murder a', 'killer workout', 'killing me softly', 'dressed to kill', 'kill time', 'killing time'], category: 'exclusion', weight: -45 },
  { phrase: 'stabbed in the back', variants: ['stabbed me in the back', 'shot myself in the foot', 'shooting star', 'photo shoot', 'photoshoot', 'clay pigeon shooting', 'shooting practice', 'shot glass', 'flu shot', 'booster shot'], category: 'exclusion', weight: -45 },
  { phrase: 'suicide prevention', variants: ['suicide awareness', 'suicide squad', 'suicide bomber', 'suicide prevention day', 'suicide helpline'], category: 'exclusion', weight: -40 },
  { phrase: 'armed forces', variants: ['armed forces day', 'knife crime', 'gun crime', 'dog grooming', 'hot glue gun', 'staple gun', 'spray gun', 'water pistol', 'i am on fire', 'we are on fire', 'you are on fire'], category: 'exclusion', weight: -40 },
  { phrase: "can't find my keys", variants: ["can't find my phone", "can't find my car", "can't find my wallet", "can't find my purse", "can't find my bag", "can't find my passport", "can't find my cat", "can't find my dog", "can't find my bike"], category: 'exclusion', weight: -30 },
  { phrase: 'missing my train', variants: ['missing the bus', 'missing out', 'missing my bus', 'missing person appeal', 'missing persons', 'missing cat', 'missing dog'], category: 'exclusion', weight: -30 },
  { phrase: 'my ex boss', variants: ['my ex colleague', 'my ex employer', 'my ex landlord', 'my ex manager', 'my ex flatmate', 'my ex housemate', 'my ex neighbour'], category: 'exclusion', weight: -10 },
];

/** The rule set a new force starts with: English, the 2026 additions and the Welsh pack. The force changes it from there. */
export const DEFAULT_RULES: DefaultRule[] = [...ENGLISH_RULES, ...ENGLISH_RULES_2026, ...WELSH_RULES];

/** Rule packs added to forces created before them, each once (recorded by a `triage.rule_pack_added` event). */
export const RULE_PACKS: readonly { id: string; rules: readonly DefaultRule[] }[] = [
  { id: 'en-2026', rules: ENGLISH_RULES_2026 },
  { id: 'cy', rules: WELSH_RULES },
];
