import type { PatternDef } from './triage.patterns.ts';

// Threats: the phrases that put a contact at priority 1 when a person means
// them. Written in the pattern notation of triage.patterns.ts with the classes of
// triage.patterns-classes.ts.

export const THREAT_PATTERNS: readonly PatternDef[] = [
  {
    id: 'threat.to_kill',
    category: 'threat_to_life',
    points: 65,
    floor: 1,
    isHyperboleProne: true,
    specs: ['@I? ~2 @FUT ~3 ^@LETHAL @OBJ2', 'ill ~3 ^@LETHAL @OBJ2', '@I am ~1 ^@LETHAL @OBJ2 ~1 tonight|today|tomorrow|when|if'],
    label: { en: 'a threat to kill or seriously harm someone', cy: 'fygythiad i ladd neu anafu rhywun yn ddifrifol' },
  },
  {
    id: 'threat.to_harm',
    category: 'violence',
    points: 45,
    floor: 2,
    isHyperboleProne: true,
    specs: ['@I? ~2 @FUT ~3 ^@HURT @OBJ2', 'ill ~3 ^@HURT @OBJ2', '@FUT ~2 ^@HURT @ME', '@FUT ~2 ^beat|kick|knock|batter ~3 out of ~1 me|you|him|her|us', 'put ~1 you|him|her|me ~1 in|into ~1 ^hospital'],
    label: { en: 'a threat to hurt someone', cy: 'fygythiad i frifo rhywun' },
  },
  {
    id: 'threat.you_are_dead',
    category: 'threat_to_life',
    points: 50,
    floor: 2,
    isHyperboleProne: true,
    specs: [
      'you are ~1 a? ^dead !to|tired|inside|on|cute|funny|right|wrong|lucky',
      'your|ur ^dead !to|tired|inside|phone|battery|plant|mum|dad',
      'you_will|you_are_going_to|your_going_to|ur_going_to|you_are_gonna ~1 ^die|be_killed|get_stabbed|get_shot|get_killed !of|laughing',
      'you_are|ur|your|you|he_is|she_is|they_are|i_am ~1 getting|gonna_get|going_to_get|will_get|get ^shot|stabbed|killed|merked|murdered|gun|knife|bomb|buried|battered|done_in',
      'i_am|you_are|your|ur|he_is|she_is ~1 ^dead ~1 if|when|once|after|the_minute',
      '^dead man walking',
    ],
    label: { en: 'a threat that someone will die', cy: 'fygythiad y bydd rhywun yn marw' },
  },
  {
    id: 'threat.intimidation',
    category: 'violence',
    points: 35,
    isHyperboleProne: true,
    specs: [
      'i ~1 know where you ^live',
      'watch your ^back',
      'you will|you_are_going_to ~1 ^regret|pay ~1 for? this|it',
      'i am coming for ^you',
      'i will ^find you',
      'sleep with one eye ^open',
      'your ^days are numbered',
      'i will make you ^pay',
      'you will get ^what is coming',
    ],
    label: { en: 'intimidation ("I know where you live")', cy: 'bygwth ("dw i\'n gwybod lle rwyt ti\'n byw")' },
  },
  {
    id: 'threat.reported',
    category: 'threat_to_life',
    points: 70,
    floor: 1,
    isHyperboleProne: true,
    specs: [
      '@FUT ~3 ^@LETHAL @ME',
      'nearly|almost ~1 ^killed|strangled|choked|drowned|stabbed me|us',
      '^@LETHAL @ME if|when|unless|before ~1 i|we',
      'put ~1 a ^bullet|knife|blade ~2 in|through|into ~1 my|your|his|her ~1 head|brain|skull|back|chest|neck',
      'have|get|had|got ~1 @OBJ2|me|you ^killed|shot|stabbed|murdered|merked',
      'put ~1 me|you|him|her|us ~1 in|into|under ~1 the|a ^ground|grave|ditch|coffin|box',
    ],
    label: { en: 'a threat to kill the person writing or those with them', cy: "fygythiad i ladd yr un sy'n ysgrifennu neu'r rhai gyda nhw" },
  },
  {
    id: 'threat.threatened_to_kill',
    category: 'threat_to_life',
    points: 65,
    floor: 1,
    isHyperboleProne: true,
    specs: ['^threatened|threatening|threatens|threaten|threat|threats|threatend|threating ~3 to ~3 @LETHAL', 'death ^threat|threats ~2 to|against|from|@ME'],
    label: { en: 'a reported threat to kill', cy: 'fygythiad i ladd a adroddwyd' },
  },
  {
    id: 'threat.threatened_to_harm',
    category: 'violence',
    points: 45,
    floor: 2,
    isHyperboleProne: true,
    specs: ['^threatened|threatening|threatens|threaten|threatend ~3 to ~3 @HURT', '^death threats|threat'],
    label: { en: 'a reported threat of violence', cy: 'fygythiad o drais a adroddwyd' },
  },
  {
    id: 'threat.weapon_at_person',
    category: 'weapons',
    points: 65,
    floor: 1,
    specs: [
      '^threatened|threatening|threatens|threaten|threatend ~1 me|us|him|her|them|people|everyone|my_son|my_daughter ~1 with ~2 @WEAPON',
      '^pulled|pointed|held|waved|waving|brandished|brandishing|pulls|points|pointing ~2 @WEAPON ~1 at|on|to|in ~1 me|us|my|him|her|people|everyone|someone|them',
      '^came|coming|ran|run|lunged|lunging ~1 at|towards ~1 me|us|him|her|people ~1 with ~2 @WEAPON',
    ],
    label: { en: 'a weapon used to threaten someone', cy: "arf wedi'i ddefnyddio i fygwth rhywun" },
  },
  {
    id: 'threat.weapon_to_throat',
    category: 'threat_to_life',
    points: 70,
    floor: 1,
    specs: [
      '@WEAPON ~1 to|against|at|on ~1 my|her|his|their|someone_s ^throat|neck|head|chest|face',
      'hands|hand|arm ~1 around|round|on|against ~1 my|her|his ^throat|neck',
      '^strangle|strangled|strangling|strangles|choke|choked|choking|chokes|throttled|throttle me|her|him|us|until|till',
      '^grabbed|grabs|held|holding|had|pinned|lifted|took me|her|him ~1 by|round|around ~1 the|my|her|his ~1 throat|neck',
    ],
    label: { en: 'a weapon or hands at someone\'s throat or head', cy: 'arf neu ddwylo am wddf neu ben rhywun' },
  },
];

/**
 * Idioms that defuse the threat patterns around them: a parent or teacher who "will kill me if I'm
 * late" is a figure of speech. A match marks its sentence as hyperbole; it scores nothing itself.
 */
export const IDIOM_PATTERNS: readonly PatternDef[] = [
  {
    id: 'idiom.elder_will_kill_me',
    category: null,
    points: 0,
    isIdiom: true,
    specs: ['@ELDER @FUT ~1 ^kill|murder|strangle|kills me|us ~3 if|when|for|cos|because|after'],
    label: { en: 'a figure of speech ("mum will kill me if…")', cy: 'ffigur ymadrodd ("bydd mam yn fy lladd i os…")' },
  },
];
