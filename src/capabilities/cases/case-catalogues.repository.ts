import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';

// The lists a force's cases are classified with, seeded for every force and editable by it.
//
// Sources (facts, not text): the offence groups and subgroups the Home Office and the Office for
// National Statistics publish police recorded crime by ("Crime in England and Wales", table
// "Police recorded crime by offence group"), and the crime outcome framework of the Home Office's
// "Crime outcomes in England and Wales" statistics (outcome types 1 to 22). Both are published
// under the Open Government Licence v3.0. The codes before the colon are Bluelamp's own, stable
// identifiers; outcome codes are the Home Office's numbers.

export type CrimeTypeSeed = { code: string; group: string; label: string; labelCy: string };

export const CRIME_TYPES: readonly CrimeTypeSeed[] = [
  { code: 'VAP-HOM', group: 'Violence against the person', label: 'Homicide', labelCy: 'Dynladdiad' },
  { code: 'VAP-DRV', group: 'Violence against the person', label: 'Death or serious injury caused by unlawful driving', labelCy: 'Marwolaeth neu anaf difrifol drwy yrru anghyfreithlon' },
  { code: 'VAP-VWI', group: 'Violence against the person', label: 'Violence with injury', labelCy: 'Trais gydag anaf' },
  { code: 'VAP-VWO', group: 'Violence against the person', label: 'Violence without injury', labelCy: 'Trais heb anaf' },
  { code: 'VAP-SAH', group: 'Violence against the person', label: 'Stalking and harassment', labelCy: 'Stelcian ac aflonyddu' },
  { code: 'SEX-RAP', group: 'Sexual offences', label: 'Rape', labelCy: 'Trais rhywiol' },
  { code: 'SEX-OTH', group: 'Sexual offences', label: 'Other sexual offences', labelCy: 'Troseddau rhywiol eraill' },
  { code: 'ROB-BUS', group: 'Robbery', label: 'Robbery of business property', labelCy: 'Lladrata eiddo busnes' },
  { code: 'ROB-PER', group: 'Robbery', label: 'Robbery of personal property', labelCy: 'Lladrata eiddo personol' },
  { code: 'THF-BRE', group: 'Theft offences', label: 'Residential burglary', labelCy: 'Byrgleriaeth breswyl' },
  { code: 'THF-BBC', group: 'Theft offences', label: 'Burglary of business and community premises', labelCy: 'Byrgleriaeth safle busnes a chymunedol' },
  { code: 'THF-VEH', group: 'Theft offences', label: 'Vehicle offences', labelCy: 'Troseddau cerbydau' },
  { code: 'THF-TFP', group: 'Theft offences', label: 'Theft from the person', labelCy: "Dwyn oddi ar y person" },
  { code: 'THF-BIC', group: 'Theft offences', label: 'Bicycle theft', labelCy: 'Dwyn beiciau' },
  { code: 'THF-SHP', group: 'Theft offences', label: 'Shoplifting', labelCy: 'Dwyn o siopau' },
  { code: 'THF-OTH', group: 'Theft offences', label: 'All other theft offences', labelCy: 'Pob trosedd ddwyn arall' },
  { code: 'CDA', group: 'Criminal damage and arson', label: 'Criminal damage and arson', labelCy: 'Difrod troseddol a llosgi bwriadol' },
  { code: 'DRG-TRF', group: 'Drug offences', label: 'Trafficking of drugs', labelCy: 'Masnachu cyffuriau' },
  { code: 'DRG-POS', group: 'Drug offences', label: 'Possession of drugs', labelCy: 'Meddu ar gyffuriau' },
  { code: 'WPN', group: 'Possession of weapons offences', label: 'Possession of weapons offences', labelCy: 'Troseddau meddu ar arfau' },
  { code: 'PUB', group: 'Public order offences', label: 'Public order offences', labelCy: 'Troseddau trefn gyhoeddus' },
  { code: 'MIS', group: 'Miscellaneous crimes against society', label: 'Miscellaneous crimes against society', labelCy: 'Troseddau amrywiol yn erbyn cymdeithas' },
  { code: 'FRD', group: 'Fraud offences', label: 'Fraud', labelCy: 'Twyll' },
  { code: 'NCR', group: 'Non-crime', label: 'Non-crime incident', labelCy: 'Digwyddiad nad yw’n drosedd' },
];

export type OutcomeTypeSeed = { code: string; label: string; labelCy: string };

/** Home Office outcome types, by their numbers (19 is not in use). */
export const OUTCOME_TYPES: readonly OutcomeTypeSeed[] = [
  { code: '1', label: 'Charged or summonsed', labelCy: 'Cyhuddo neu wysio' },
  { code: '2', label: 'Youth caution', labelCy: 'Rhybudd ieuenctid' },
  { code: '3', label: 'Adult caution', labelCy: 'Rhybudd oedolyn' },
  { code: '4', label: 'Taken into consideration', labelCy: 'Wedi’i ystyried' },
  { code: '5', label: 'The offender has died', labelCy: 'Mae’r troseddwr wedi marw' },
  { code: '6', label: 'Penalty notice for disorder', labelCy: 'Hysbysiad cosb am anhrefn' },
  { code: '7', label: 'Cannabis or khat warning', labelCy: 'Rhybudd canabis neu khat' },
  { code: '8', label: 'Community resolution', labelCy: 'Datrysiad cymunedol' },
  { code: '9', label: 'Prosecution not in the public interest (Crown Prosecution Service decision)', labelCy: 'Nid yw erlyn er budd y cyhoedd (penderfyniad Gwasanaeth Erlyn y Goron)' },
  { code: '10', label: 'Formal action not in the public interest (police decision)', labelCy: 'Nid yw camau ffurfiol er budd y cyhoedd (penderfyniad yr heddlu)' },
  { code: '11', label: 'Prosecution prevented: suspect under the age of criminal responsibility', labelCy: 'Atal erlyn: y sawl a ddrwgdybir dan oed cyfrifoldeb troseddol' },
  { code: '12', label: 'Prosecution prevented: suspect too ill', labelCy: 'Atal erlyn: y sawl a ddrwgdybir yn rhy sâl' },
  { code: '13', label: 'Prosecution prevented: victim or key witness dead or too ill', labelCy: 'Atal erlyn: y dioddefwr neu dyst allweddol wedi marw neu’n rhy sâl' },
  { code: '14', label: 'Evidential difficulties: suspect not identified; victim does not support further action', labelCy: 'Anawsterau tystiolaeth: neb wedi’i adnabod; nid yw’r dioddefwr yn cefnogi camau pellach' },
  { code: '15', label: 'Evidential difficulties: suspect identified; victim supports action', labelCy: 'Anawsterau tystiolaeth: y sawl a ddrwgdybir wedi’i adnabod; mae’r dioddefwr yn cefnogi camau' },
  { code: '16', label: 'Evidential difficulties: suspect identified; victim does not support further action', labelCy: 'Anawsterau tystiolaeth: y sawl a ddrwgdybir wedi’i adnabod; nid yw’r dioddefwr yn cefnogi camau pellach' },
  { code: '17', label: 'Prosecution time limit expired', labelCy: 'Terfyn amser erlyn wedi dod i ben' },
  { code: '18', label: 'Investigation complete: no suspect identified', labelCy: 'Ymchwiliad wedi’i gwblhau: neb wedi’i adnabod' },
  { code: '20', label: 'Further action taken by another body or agency', labelCy: 'Camau pellach gan gorff neu asiantaeth arall' },
  { code: '21', label: 'Further investigation to support formal action not in the public interest (police decision)', labelCy: 'Nid yw ymchwilio pellach er budd y cyhoedd (penderfyniad yr heddlu)' },
  { code: '22', label: 'Diversionary, educational or intervention activity', labelCy: 'Gweithgaredd dargyfeirio, addysgol neu ymyrraeth' },
];

/** Adds the crime and outcome types a force lacks (a new force, or one created before cases had them). */
export async function seedCaseCatalogues(tx: Tx, forceId: ForceId): Promise<void> {
  await tx
    .insertInto('crime_types')
    .values(CRIME_TYPES.map((t, i) => ({ force_id: forceId, code: t.code, group_label: t.group, label: t.label, label_cy: t.labelCy, position: i })))
    .onConflict((oc) => oc.columns(['force_id', 'code']).doNothing())
    .execute();
  await tx
    .insertInto('case_outcome_types')
    .values(OUTCOME_TYPES.map((t, i) => ({ force_id: forceId, code: t.code, label: t.label, label_cy: t.labelCy, position: i })))
    .onConflict((oc) => oc.columns(['force_id', 'code']).doNothing())
    .execute();
}
