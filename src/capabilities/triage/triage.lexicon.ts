// Fixed tables the normaliser reads: contractions and slang, emoji that carry meaning, and the
// common words that are never read as misspellings. Everything here is lower case and written
// the way the normaliser spells it (no accents, straight apostrophes).

const table = (entries: Record<string, string>): Map<string, readonly string[]> =>
  new Map(Object.entries(entries).map(([from, to]) => [from, to.split(' ')]));

/**
 * Written forms that stand for other words. Contractions are expanded so that "won't", "wont" and
 * "will not" are one thing to every rule and pattern; slang and text-speak likewise ("ima", "u").
 * "ill" is left alone: it is a word of its own, and the threat patterns read it as "I'll".
 */
export const EXPANSIONS: ReadonlyMap<string, readonly string[]> = table({
  "i'm": 'i am', im: 'i am', "i'ma": 'i am going to', ima: 'i am going to', imma: 'i am going to', "i'mma": 'i am going to',
  "i'll": 'i will', "i'd": 'i would', "i've": 'i have', ive: 'i have',
  "you're": 'you are', youre: 'you are', "you'll": 'you will', youll: 'you will', "you've": 'you have', "you'd": 'you would',
  "he's": 'he is', hes: 'he is', "she's": 'she is', shes: 'she is', "it's": 'it is', "that's": 'that is', thats: 'that is',
  "he'll": 'he will', "she'll": 'she will', "they'll": 'they will', "we'll": 'we will', "it'll": 'it will',
  "he'd": 'he would', "she'd": 'she would', "they'd": 'they would', "we'd": 'we would',
  "they're": 'they are', theyre: 'they are', "we're": 'we are', "they've": 'they have', "we've": 'we have',
  "won't": 'will not', wont: 'will not', "can't": 'can not', cant: 'can not', cannot: 'can not', "shan't": 'shall not',
  dont: 'do not', doesnt: 'does not', didnt: 'did not', isnt: 'is not', wasnt: 'was not', arent: 'are not', werent: 'were not',
  hasnt: 'has not', havent: 'have not', hadnt: 'had not', wouldnt: 'would not', couldnt: 'could not', shouldnt: 'should not',
  aint: 'is not', "ain't": 'is not', "let's": 'let us', lets: 'let us',
  gonna: 'going to', gona: 'going to', gunna: 'going to', goin: 'going', gon: 'going to', finna: 'going to',
  wanna: 'want to', wana: 'want to', gotta: 'got to', tryna: 'trying to', tryin: 'trying', outta: 'out of',
  u: 'you', ya: 'you', yu: 'you', yer: 'your', urself: 'yourself', ure: 'you are', "u're": 'you are',
  r: 'are', b4: 'before', '2day': 'today', '2nite': 'tonight', tonite: 'tonight', tmrw: 'tomorrow', tmr: 'tomorrow',
  pls: 'please', plz: 'please', plse: 'please', pleaseee: 'please', rn: 'right now', asap: 'as soon as possible',
  cuz: 'because', coz: 'because', cos: 'because', bc: 'because', becuz: 'because', ppl: 'people', bf: 'boyfriend', gf: 'girlfriend',
  hubby: 'husband', hubbie: 'husband', mam: 'mum', mom: 'mum', mommy: 'mum', mummy: 'mum', idk: 'i do not know',
  kms: 'kill myself', kys: 'kill yourself', unalive: 'kill', unalived: 'killed', unaliving: 'killing', sewerslide: 'suicide',
  shank: 'stab', shanked: 'stabbed', shanking: 'stabbing', merk: 'kill', merked: 'killed', murk: 'kill', murked: 'killed',
  kil: 'kill', kll: 'kill', kiil: 'kill', murda: 'murder', murdah: 'murder', stabb: 'stab', ded: 'dead', gettin: 'getting',
  sayin: 'saying', sayn: 'saying', threatnin: 'threatening', gunn: 'gun',
  od: 'overdose', "od'd": 'overdosed', oded: 'overdosed',
  // Welsh text-speak.
  isio: 'eisiau', isie: 'eisiau', moyn: 'eisiau', plis: 'please',
});

/** Bases whose "'s" is "is" ("he's going to"); after any other word "'s" is a possessive and drops. */
export const IS_BEFORE_S = new Set([
  'he', 'she', 'it', 'that', 'there', 'what', 'who', 'where', 'here', 'how', 'everyone', 'someone', 'somebody', 'nobody', 'everybody', 'one',
]);

/** Contraction endings after any base ("didn't", "shouldn't've" is rare enough to ignore). */
export const CONTRACTION_ENDINGS: readonly [string, string][] = [
  ["n't", 'not'], ["'ll", 'will'], ["'re", 'are'], ["'ve", 'have'], ["'d", 'would'], ["'m", 'am'],
];

/**
 * Emoji that people use for weapons, harm or laughter, read as words. Laughter and skulls are
 * hyperbole markers ("I'm dead 💀"), never harm. Only the first code point of a sequence is read.
 */
export const EMOJI_WORDS: ReadonlyMap<number, string> = new Map([
  [0x1f52a, 'knife'], [0x1f5e1, 'knife'], [0x2694, 'knife'], [0x1f52b, 'gun'], [0x1f4a3, 'bomb'], [0x1f9e8, 'bomb'],
  [0x1fa93, 'axe'], [0x1fa78, 'blood'], [0x1f48a, 'pills'], [0x1faa2, 'rope'], [0x26b0, 'coffin'], [0x1f489, 'syringe'],
  [0x1f480, 'skull'], [0x2620, 'skull'], [0x1f602, 'lol'], [0x1f923, 'lol'], [0x1f606, 'lol'], [0x1f639, 'lol'], [0x1f605, 'lol'],
  [0x1f62d, 'sob'], [0x1f198, 'sos'], [0x1f6a8, 'siren'], [0x1f64f, 'pray'], [0x1f54a, 'dove'], [0x1f494, 'heartbreak'],
  [0x1f621, 'angry'], [0x1f92c, 'angry'], [0x1f525, 'flame'], [0x1f4a5, 'boom'], [0x1f922, 'sick'], [0x1f92e, 'sick'],
]);

/** Abbreviations whose full stop does not end a sentence. */
export const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'st', 'rd', 'ave', 'approx', 'etc', 'vs', 'no', 'tel', 'ref', 'nr']);

/**
 * Common words that are never read as a misspelling of a key term, whatever the distance. The
 * generated list beside this file adds every dictionary word one edit from a default key term
 * ("shouting" is not "shooting", "strange" is not "strangle").
 */
export const NEVER_TYPOS = new Set(
  `about above after again against along also always among another answer anyone anything around asked asking
  avenue away back because been before behind being below better between black blocked board bottle bought bread
  bring brother brought building called calling calls came cannot cards carry caught chair change charge check
  child children church class clean clear close closed coming could couple course cousin cover crime daily daughter
  david dinner doing doors down during early earth eating either email end ended enough evening event every
  everyone exactly family father feels field fifteen final first floor folks found friday friend friends front
  garage garden gates given going gone great green group guess happen happened happy having heard heart hello
  himself hotel house hours however husband inside instead issue issues itself james keeps kitchen known large
  later learn least leave leaving left letter light little lives local london lorry lunch maybe means member
  message might minutes missed money monday month months morning mother moved music myself never night north
  nothing number office often order other others outside owner paper parents parked party people phone photo
  photos place plate please point police power quite really right round saturday school second seems seven shall
  sister since small smell someone something sorry south sound speak spent staff stand start started state
  station still stole stolen store story street sunday table taken taking talk talked tell thank thanks their
  there these thing things think those three times today together tomorrow tonight total train tried truck
  trying tuesday under until upset using usual video visit voice waiting walked walking wanted watch water
  wearing wednesday week weekend weeks where which while white whole whose window woman women world would write
  wrong years young yours yourself thursday friday clothes shoes shopping anyway already nearly probably
  definitely literally honestly really actually totally basically apparently obviously seriously
  mae ddim eisiau gyda wedi roedd bydd rydw dydw allan mewn ydych ydyn iawn diolch plant teulu`
    .split(/\s+/u)
    .filter((word) => word !== ''),
);
