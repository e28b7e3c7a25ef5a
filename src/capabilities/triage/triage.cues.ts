// Words and short phrases that say something about the sentence they stand in: a negation, a
// person or a place, speech ("he said"), the news, sympathy, a joke, a legal question, a partner
// or a child. English and Welsh side by side; written as people write them, normalised on load.

export const CUE = {
  NEGATOR: 1 << 0,
  /** After a negation, cancels it: "won't stop hitting me", "not just a knife", "not sure if". */
  NEUTRALISER: 1 << 1,
  FIRST_PERSON: 1 << 2,
  /** Someone other than the writer: he, she, a man, my son. */
  PERSON: 1 << 3,
  PLACE: 1 << 4,
  SPEECH: 1 << 5,
  MEDIA: 1 << 6,
  /** "police say", "according to": the news only when the sentence has no I, me or we. */
  MEDIA_WEAK: 1 << 7,
  SYMPATHY: 1 << 8,
  HYPERBOLE: 1 << 9,
  LEGAL: 1 << 10,
  PARTNER: 1 << 11,
  CHILD: 1 << 12,
  URGENCY: 1 << 13,
  HELP: 1 << 14,
  /** A question about the law or a hypothetical: "is it illegal to carry a knife?", "what should I do if". */
  HYPOTHETICAL: 1 << 15,
  SECOND_PERSON: 1 << 16,
} as const;

const words = (text: string): string[] => text.split(',').map((w) => w.trim()).filter((w) => w !== '');

/** Each cue with the phrases that carry it. A phrase may carry several cues. */
export const CUE_PHRASES: readonly [number, readonly string[]][] = [
  [CUE.NEGATOR, words('no, not, never, without, nobody, none, neither, nor, nothing, no one, ddim, dim, heb, nid, nad, na, erioed')],
  [CUE.NEUTRALISER, words('only, just, stop, stops, stopped, quit, sure, certain, know, even, joking, kidding, lying')],
  [CUE.FIRST_PERSON, words('i, me, my, we, us, our, myself, fi, mi, fy, ni, ein, innau, minnau')],
  [CUE.SECOND_PERSON, words('you, your, yourself, yours, ti, di, chi, dy, eich')],
  [
    CUE.PERSON,
    words(`he, she, they, him, her, them, his, someone, somebody, anyone, man, woman, men, women, lad, lads,
      boy, boys, girl, girls, guy, guys, bloke, kid, kids, child, children, son, daughter, mum, dad, father, mother, brother, sister,
      partner, husband, wife, boyfriend, girlfriend, ex, neighbour, neighbours, neighbor, friend, friends, mate, mates, people, person,
      gang, group, teenager, teenagers, teen, teens, youths, baby, toddler, nan, nana, gran, grandad, grandma, grandmother, grandfather,
      uncle, aunt, auntie, cousin, niece, nephew, flatmate, housemate, family, stranger, driver, pupil, student, colleague, e, o,
      hi, nhw, fe, fo, dyn, dynion, dynes, menyw, merch, bachgen, bechgyn, plentyn, plant, mab, gwr, gwraig, cariad, cymydog, ffrind,
      tad, mam, brawd, chwaer, babi, rhywun, pobl, teulu, nain, taid, mamgu, tadcu`),
  ],
  [
    CUE.PLACE,
    words(`outside, inside, near, behind, opposite, street, road, lane, avenue, close, drive, crescent, park, house, home, flat, flats,
      shop, store, school, station, pub, club, bar, car park, garden, alley, estate, centre, center, town, city, village, bridge, beach,
      field, bus, train, metro, underpass, garage, driveway, doorstep, door, window, stairs, bedroom, kitchen, bathroom, here, hospital,
      corner, address, tu allan, tu fas, tu mewn, ger, yma, stryd, heol, ffordd, lon, ty, cartref, fflat, siop, ysgol, gorsaf, parc,
      tafarn, maes parcio, gardd, pont, traeth, cae, bws, tren, drws, ffenest, ystafell, fan hyn, fama, pentref, tref, dinas`),
  ],
  [
    CUE.SPEECH,
    words(`said, says, say, saying, told, tells, telling, texted, texts, texting, messaged, messaging, wrote, writes, shouted, shouting,
      screamed, screaming, yelled, yelling, keeps saying, sent me, sends me, voicemail, threatened, threatening, dweud, meddai,
      dwedodd, ddwedodd, dywedodd, gweiddi, sgrechian, neges, tecst`),
  ],
  [
    CUE.MEDIA,
    words(`news, the news, news report, article, articles, headline, headlines, newspaper, the paper, the papers, in the paper, film,
      films, movie, movies, documentary, documentaries, tv show, tv series, tv drama, drama, soap, episode, novel, book, video game,
      video games, podcast, statistics, stats, figures show, breaking, bbc, sky news, itv, itv news, channel 4, the guardian, daily mail,
      the sun, the mirror, chronicle live, wales online, reportedly, it is reported, press release, netflix, true crime, lyrics, song,
      music video, trailer, newyddion, ar y newyddion, erthygl, pennawd, penawdau, ffilm, rhaglen, ystadegau, golwg360, bbc cymru, s4c`),
  ],
  [
    CUE.MEDIA_WEAK,
    words(`police say, police said, police have said, police are appealing, police appeal, police were called, officers were called,
      emergency services were called, a spokesperson, a spokesman, a spokeswoman, according to, reports say, it is understood,
      has been charged, have been charged, has been arrested, have been arrested, was arrested, were arrested, was charged, in court,
      appeared in court, jailed, sentenced, inquest, named locally, pronounced dead, died at the scene, murder investigation,
      murder inquiry, dywed yr heddlu, meddai r heddlu, mae r heddlu yn apelio, wedi ei gyhuddo, wedi ei arestio`),
  ],
  [
    CUE.SYMPATHY,
    words(`thoughts and prayers, thoughts are with, thoughts go out, my thoughts, praying for, pray for, prayers for, prayers to,
      prayers go out, rip, rest in peace, rest easy, so sad, heartbreaking, heartbroken, condolences, sending love, sending my love,
      heart goes out, hearts go out, devastating, tragic, tragedy, horrific news, sickening, shocking news, senseless, awful news,
      terrible news, stay safe everyone, how many more, gun control, gun laws, pray, dove, can not believe, when will it stop,
      when will this stop, when will it end, another kid, another young, another teenager, another child, meddyliau gyda, gweddiau, cydymdeimlad,
      cwsg yn dawel, hedd, mor drist, trist iawn`),
  ],
  [
    CUE.HYPERBOLE,
    words(`lol, lmao, lmfao, rofl, lmaoo, lmaooo, haha, hahaha, hahahaha, hehe, xd, jk, just kidding, only joking, skull,
      of laughter, of embarrassment, of boredom, of cringe, cringe, this exam, my exam, my exams, the exam, exams,
      this essay, homework, revision, this assignment, coursework, on monday, mondays, this traffic, this queue, this heat,
      these heels, my feet, if he eats, if she eats, ate my, eats my, eat my, my pizza, my chips, my chocolate, the last slice,
      my charger, when she finds out, when he finds out, when they find out, when my mum, when mum, when my dad, when dad,
      when mum sees, spoilers, the ending, this song, this game, fortnite, minecraft, call of duty, gta, so funny, hilarious,
      to die for, rather die than, die on this hill, bored to death, scared to death, killing it, killed it, nailed it, dead funny,
      the hangover, hungover, hangover, that meeting, this meeting, y gwaith, gwaith yma, fy nhraed, nhraed, fy nghefn, fy mhen,
      arholiad, arholiadau, gwaith cartref, y gwres, marw o chwerthin, jyst jocan, jocan, tynnu coes`),
  ],
  [
    CUE.LEGAL,
    words(`what are my rights, my rights, is it legal, legal advice, solicitor, lawyer, divorce, divorcing, custody, child arrangements,
      contact order, child maintenance, maintenance, child support, mediation, family court, small claims, civil matter, tenancy,
      landlord, deposit, probate, who gets, mortgage, joint account, financial settlement, prenup, sell the house, his name on,
      her name on, cyfreithiwr, ysgariad, hawliau`),
  ],
  [
    CUE.PARTNER,
    words(`my partner, my husband, my wife, my boyfriend, my girlfriend, my fiance, my fiancee, my ex, my ex partner, my ex husband,
      my ex wife, my ex boyfriend, my ex girlfriend, my other half, my spouse, my baby father, my baby daddy, my baby mother,
      my baby mum, my kids dad, my kids father, my children father, my children dad, my son father, my son dad, my daughter dad,
      my daughter father, father of my, mother of my, my fella, my missus, her husband, her boyfriend, her partner, her ex,
      his wife, his girlfriend, his partner, his ex, my abuser, fy ngwr, fy ngwraig, fy mhartner, fy nghariad, fy nghyn wr,
      fy nghyn bartner, fy nghyn gariad, fy nghyn wraig, ei gwr, ei wraig, ei phartner, ei bartner, ei chariad, ei gariad`),
  ],
  [
    CUE.CHILD,
    words(`child, children, kid, kids, baby, babies, toddler, toddlers, son, daughter, boy, girl, year old, years old, yr old, yo,
      teenager, teen, schoolgirl, schoolboy, pupil, little one, little ones, grandson, granddaughter, stepdaughter, stepson, niece,
      nephew, newborn, infant, plentyn, plant, mab, merch, babi, bachgen, oed`),
  ],
  [
    CUE.URGENCY,
    words(`please hurry, hurry, right now, as soon as possible, quickly, urgent, urgently, emergency, come now, now, brys, ar frys,
      nawr, rwan, yn syth, argyfwng, dewch nawr, dewch yn gyflym, yn gyflym, cyn gynted, siren, sos`),
  ],
  [CUE.HELP, words('help, helpwch, helpu, help me, sos')],
  [
    CUE.HYPOTHETICAL,
    words(`what should i do if, what do i do if, what happens if, is it illegal, is it legal, is it an offence, is it a crime,
      how do i report, how do you report, can i report, am i allowed, what is the law, what the law says, where can i find,
      do you know if, advice on, for a school project, for my dissertation, for research, how many people, if someone, if i see,
      if you see, in general, hypothetically, can i carry, allowed to carry, legal to carry, legal to own, can i own, can i buy,
      school project, project on, can i take my, beth ddylwn i wneud os, ydy hi n anghyfreithlon, sut mae adrodd`),
  ],
];
