import type { DefaultRule } from './triage.schema.ts';
import { withMutations } from '../../platform/welsh-mutations.ts';

// The Welsh rule pack every force starts with: threats, weapons, self-harm, domestic abuse,
// children, missing people and emergencies, each with the mutated forms people write ("cyllell",
// "gyllell", "nghyllell", "chyllell"). Accents are optional: the normaliser folds "tân" to "tan".
// A rule keeps at most 20 variants, as the rule editor allows.

/** A rule whose phrase and listed forms also match with their first word mutated. */
function mutating(phrase: string, forms: readonly string[], category: DefaultRule['category'], weight: number, extra: readonly string[] = []): DefaultRule {
  const all = withMutations([phrase, ...forms]).filter((form) => form !== phrase);
  const variants = [...new Set([...all, ...extra])];
  if (variants.length > 20) throw new Error(`Welsh rule "${phrase}" has ${variants.length} variants; the limit is 20`);
  return { phrase, variants, category, weight };
}

const rule = (phrase: string, variants: string[], category: DefaultRule['category'], weight: number): DefaultRule => ({ phrase, variants, category, weight });

/** The Welsh default rules, added to every force (a new force with its first rule set; an existing one once, at start-up). */
export const WELSH_RULES: DefaultRule[] = [
  // Weapons
  mutating('cyllell', ['cyllyll', 'cyllell fawr'], 'weapons', 40),
  rule('gyda gwn', ['efo gwn', 'ganddo wn', 'ganddi wn', 'gynno fo wn', 'gwn ganddo', 'gwn ganddi', 'gwn llaw', 'ngwn', 'dryll', 'ddryll', 'drylliau', 'reiffl', 'gwn saethu'], 'weapons', 45),
  rule('gydag arf', ['efo arf', 'ganddo arf', 'ganddi arf', 'arfau', 'yn arfog', 'arfog', 'macheti', 'bwyell', 'fwyell'], 'weapons', 35),
  mutating('trywanu', ['trywanwyd', 'trywanodd'], 'weapons', 50, ['wedi cael ei drywanu', "wedi'i drywanu", 'wedi cael ei thrywanu']),
  rule('wedi cael ei saethu', ['wedi cael ei saethu', "wedi'i saethu", 'saethwyd', 'saethodd', 'ergydion gwn', 'sŵn saethu', 'yn saethu at', 'wedi saethu'], 'weapons', 50),
  // Threat to life
  rule('fy lladd', ['fy lladd i', 'n lladd i', 'lladd fi', 'ladd fi', 'am fy lladd', 'i m lladd', 'yn fy lladd', 'trio fy lladd', 'drio fy lladd', 'ceisio fy lladd', 'geisio fy lladd', 'fy saethu', 'fy nhrywanu'], 'threat_to_life', 60),
  rule('dy ladd', ['dy ladd di', 'ladd ti', 'lladd ti', 'lladda i di', 'ladda i di', 'lladd chi', 'ladd chi', 'eich lladd', 'ei ladd e', 'ei ladd o', 'ei lladd hi', 'ei ladd', 'lladda i ti', 'yn mynd i ladd', 'mynd i ladd'], 'threat_to_life', 55),
  mutating('bygwth lladd', ['bygwth fy lladd', 'bygythiodd fy lladd', 'bygwth ei ladd', 'bygwth ei lladd'], 'threat_to_life', 55, ['bygythiad i ladd', 'bygythiadau i ladd', 'bygwth llosgi', 'bygwth rhoi tân']),
  rule('ddim yn anadlu', ['dim yn anadlu', 'methu anadlu', 'fethu anadlu', 'ffaelu anadlu', 'anymwybodol', 'ddim yn ymateb', 'wedi llewygu', 'wedi cwympo a ddim yn symud'], 'threat_to_life', 50),
  rule('gwaedu n ddrwg', ['gwaedu lot', 'llawer o waed', 'gwaed ym mhobman', 'gwaed dros bob man', 'colli lot o waed'], 'threat_to_life', 45),
  mutating('tagu', [], 'threat_to_life', 55, ['dwylo am fy ngwddf', 'dwylo rownd fy ngwddf', 'gafael yn fy ngwddf', 'gwasgu fy ngwddf']),
  rule('yn marw', ['mae e n marw', 'mae o n marw', 'mae hi n marw'], 'threat_to_life', 45),
  // Self-harm
  rule('lladd fy hun', ['mynd i ladd fy hun', 'mynd i ladd fy hunan', 'am ladd fy hun', 'ladd fy hun', 'lladd fy hunan', 'ladd fy hunan', 'ladd n hun', 'lladd ei hun', 'ladd ei hun', 'lladd ei hunan', 'ladd ei hunan', 'lladd eu hunain', 'ladd eu hunain'], 'self_harm', 60),
  rule('eisiau marw', ['eisiau bod yn farw', 'isio marw', 'moyn marw', 'eisie marw', 'diweddu fy mywyd', 'dod a fy mywyd i ben', 'rhoi diwedd ar fy mywyd', 'haeddu marw', 'gwell fy myd yn farw', 'gwell heb fi', 'gwell hebdda i', 'well i bawb hebdda i', 'gwell i bawb hebdda i'], 'self_harm', 60),
  rule('ddim eisiau byw', ['dim eisiau byw', 'ddim eisiau bod yma', 'dim eisiau bod yma', 'dim pwynt byw', 'dim rheswm i fyw', 'dim byd i fyw amdano', 'ddim eisiau deffro', 'dim eisiau deffro', 'ddim isio byw', 'ddim moyn byw', 'methu mynd ymlaen', 'fethu mynd ymlaen'], 'self_harm', 60),
  rule('neidio oddi ar y bont', ['neidio o r bont', 'neidio oddi ar y clogwyn', 'neidio o flaen tren', 'taflu fy hun', 'cymryd fy mywyd fy hun', 'gymryd fy mywyd fy hun', 'rhoi terfyn ar fy mywyd', 'wedi blino ar fyw', 'gwell eu byd hebdda i', 'gwell eu byd hebddo i', 'well eu byd hebdda i', 'baich ar bawb', 'yn faich ar bawb', 'dim byd ar ol i fyw amdano', 'ddim eisiau deffro fory', 'dim dyfodol i mi'], 'self_harm', 60),
  rule('hunanladdiad', ['hunanladdol', 'meddyliau hunanladdol', 'teimlo n hunanladdol', 'lladd ei hun', 'hunan laddiad'], 'self_harm', 45),
  mutating('niweidio fy hun', ['niweidio fy hunan'], 'self_harm', 40, ['hunan-niweidio', 'hunan niwed', 'torri fy hun', 'dorri fy hun', 'torri fy ngarddyrnau', 'llosgi fy hun', 'losgi fy hun']),
  mutating('gorddos', ['gorddos o dabledi'], 'self_harm', 40, ['llyncu tabledi', 'lyncu tabledi', 'llyncu r tabledi i gyd', 'cymryd y tabledi i gyd', 'gymryd y tabledi i gyd', 'llond llaw o dabledi', 'llwyth o dabledi']),
  // Domestic abuse
  rule('fy nharo', ['fy nharo i', 'n taro i', 'taro fi', 'daro fi', 'fy mwrw', 'bwrw fi', 'fwrw fi', 'fy nghuro', 'curo fi', 'guro fi', 'fy nghicio', 'cicio fi', 'gicio fi', 'fy ngwthio', 'gwthio fi', 'wthio fi', 'fy slapio', 'slapio fi', 'fy mrifo', 'brifo fi'], 'domestic_abuse', 30),
  rule('fy ngŵr', ['fy ngwraig', 'fy mhartner', 'fy nghariad', 'fy nghyn-ŵr', 'fy nghyn-bartner', 'fy nghyn-gariad', 'fy nghyn-wraig', 'fy nghyn bartner', 'fy nghyn gariad'], 'domestic_abuse', 10),
  rule('ofn arno fe', ['ofn arno fo', 'ofn arni hi', 'ofn mynd adre', 'ofn mynd adref', 'ofn mynd nol adre', 'ofn ohono fe', 'ofn ohono fo', 'ofn fy ngŵr', 'ofn fy mhartner', 'ofn fy nghariad', 'ofn fy nghyn-ŵr', 'ofn fy nghyn-bartner', 'ofnus ohono', 'ofn beth wneith e', 'ofn beth wnaiff o', 'ddim yn saff adre', 'ddim yn ddiogel adre', 'ddim yn saff gartref', 'ddim yn ddiogel gartref'], 'domestic_abuse', 30),
  rule('rheoli', ['rheolaeth', 'yn fy rheoli', 'rheoli fy arian', 'rheoli popeth', 'rheoli pob dim'], 'domestic_abuse', 15),
  rule('gwirio fy ffôn', ['edrych ar fy ffôn', 'darllen fy negeseuon', 'mynd trwy fy ffôn', 'mynd drwy fy ffôn', 'ddim yn gadael i mi', 'ddim yn fy ngadael', 'dim hawl i fynd allan', 'fy nghloi i mewn', 'cloi fi mewn', 'cymryd fy arian', 'cymryd fy ngherdyn banc', 'fy ynysu', 'tracio fy ffôn', 'dracio fy ffôn'], 'domestic_abuse', 30),
  rule('cam-drin domestig', ['trais domestig', 'camdriniaeth', 'yn fy ngham-drin', 'fy ngham-drin', 'cam-drin', 'camdrin', 'perthynas dreisgar', 'yn dreisgar'], 'domestic_abuse', 30),
  // Children
  rule('plentyn ar ei ben ei hun', ['plentyn ar ben ei hun', 'plant ar eu pennau eu hunain', 'babi ar ei ben ei hun', 'plentyn bach ar ei ben ei hun', 'plant ar ben eu hunain', 'plentyn ar ei phen ei hun', 'plant bach ar eu pennau eu hunain', 'babi ar ben ei hun'], 'child_at_risk', 40),
  rule('meithrin perthynas amhriodol', ['feithrin perthynas amhriodol', 'gofyn am luniau noeth', 'lluniau noeth', 'anfon lluniau anweddus', 'lluniau anweddus'], 'child_at_risk', 40),
  rule('brifo r babi', ['brifo r plant', 'taro r plant', 'curo r plant', 'taro r babi', 'ysgwyd y babi', 'brifo r plentyn'], 'child_at_risk', 40),
  // Missing people
  rule('ar goll', ['wedi mynd ar goll', 'heb ddod adre', 'heb ddod adref', 'heb ddod nol', 'heb ddod yn ol', 'neb wedi ei weld', 'neb wedi ei gweld', 'ddim wedi dod adre', 'ddim wedi dod adref', 'methu dod o hyd i', 'fethu dod o hyd i', 'neb wedi clywed ganddo', 'neb wedi clywed ganddi', 'ddim wedi dod nol'], 'missing_person', 30),
  // Hate, violence, sexual offences, fire, roads
  rule('hiliol', ['camdriniaeth hiliol', 'trosedd casineb', 'homoffobig', 'trawsffobig', 'sarhad hiliol'], 'hate', 25),
  rule('ymosod', ['ymosodwyd', 'ymosododd', 'wedi ymosod arna i', 'ymosod arna i', 'ymladd', 'ffeit', 'cwffio', 'gwffio', 'wedi fy nghuro', 'curfa'], 'violence', 25),
  rule('bygwth fi', ['fygwth fi', 'fy mygwth', 'yn fy mygwth', 'bygythiol', 'fygythiol'], 'violence', 20),
  mutating('treisio', ['treisiwyd'], 'sexual_offence', 45, ['wedi fy nhreisio', 'ymosodiad rhywiol', 'ymosod yn rhywiol', 'cam-drin rhywiol', 'ymosod arna i n rhywiol']),
  rule('ar dân', ['rhoi tân', 'wedi rhoi tân', 'cynnau tân', 'llosgi bwriadol', 'tân yn y tŷ', "petrol drwy'r drws", 'mae tân', 'ty ar dan', 'wedi llosgi'], 'fire', 40),
  rule('gyrrwr meddw', ['yfed a gyrru', 'gyrru dan ddylanwad', "gyrru'n beryglus", "gyrru'n wyllt", 'ochr anghywir y ffordd', 'y ffordd anghywir', 'r ffordd anghywir', 'ffordd anghywir', 'gyrru ar ol yfed'], 'road_danger', 35),
  // Exclusions
  rule('marw eisiau', ['marw isio', 'marw o chwerthin', 'marw o gywilydd', 'bron marw o chwerthin', 'marw am', 'wedi marw o chwerthin'], 'exclusion', -45),
  rule('ffôn ar goll', ['waled ar goll', 'pwrs ar goll', 'allweddi ar goll', 'goriadau ar goll', 'parsel ar goll', 'ci ar goll', 'cath ar goll', 'bag ar goll', 'beic ar goll', 'cerdyn ar goll', 'pasbort ar goll', 'llythyr ar goll'], 'exclusion', -30),
  rule('cyllell a fforc', ['cyllell fara', 'cyllell fenyn', 'hogi cyllell', 'cyllyll a ffyrc'], 'exclusion', -40),
  rule('tân gwyllt', ['ymarfer tân', 'larwm tân', 'profi larwm tân', 'diogelwch tân'], 'exclusion', -40),
];
