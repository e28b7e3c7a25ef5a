// Whether a message from the public is written in Welsh, when its channel cannot say (a text, an
// email, a social message). Pure: words only Welsh uses, counted against common English ones.

/**
 * Everyday Welsh words that are not also English words (nor short forms that English text holds,
 * such as "a", "i", "o" or "y"), written without accents: the text is folded before it is looked up.
 */
const WELSH = new Set(
  [
    'yn mae wedi ddim fy ein eich yr gyda roedd rydw dw ydw ydy ydych sydd bod chi diolch oes mewn gan hefo efo nid ond',
    'heddiw neithiwr heno ddoe yfory rhywun rhywbeth dynes plentyn heddlu helpu gwelwch allwch allech',
    'wnaeth wnes gwneud dweud dywedodd cael gafodd mynd aeth dod daeth allan nhy nghar ffordd stryd',
    'cymydog cymdogion ofn poeni bygwth bygythiad ymosod ymosododd torri dwyn lladrad cyllell brifo anafu',
    'gyrru damwain achos nhw iddo iddi arnaf ato ati wrth wrthyf yma yna acw nawr rwan dros trwy',
    'hwn hyn hynny pwy pam sut ble pryd faint llawer ychydig mawr drwg iawn eto hefyd felly oherwydd',
  ]
    .join(' ')
    .split(' '),
);

/** Common English words, so English text that happens to hold a Welsh-looking word stays English. */
const ENGLISH = new Set(
  'the and is was are were have has had been to of in on at for with my our your his her their there this that what who why how where when not but if can could would please help police someone somebody car house street road outside inside night today yesterday threatened knife stolen broke broken hit'.split(
    ' ',
  ),
);

/** Folds accents (ŵ ŷ â ê î ô û ï …) and case, so "Rŵan" and "rwan" are one word. */
function fold(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * `cy` when the text reads as Welsh: at least two Welsh words, and more of them than English ones;
 * otherwise null (not "English": the caller keeps what it knew, or the force's default).
 */
export function writtenInWelsh(text: string): 'cy' | null {
  let welsh = 0;
  let english = 0;
  for (const raw of text.slice(0, 4000).split(/[^\p{L}']+/u)) {
    if (raw.length === 0) continue;
    const word = fold(raw);
    if (WELSH.has(word)) welsh += 1;
    else if (ENGLISH.has(word)) english += 1;
  }
  return welsh >= 2 && welsh > english ? 'cy' : null;
}
