import { journeyMessage as m, type JourneyMessage } from './message-kit.schema.ts';

// Journey messages when a case closes: one per kind of Home Office outcome, a general one, and
// the satisfaction question afterwards.

export const CLOSURE_MESSAGES: readonly JourneyMessage[] = [
  m('case.closed', 'The case was closed (any outcome)', {
    en: ['Your case has been closed', 'We have closed your case. The outcome is: {{outcome}}.\n\n{{reason}}\n\nIf you have new information, contact us quoting your case reference and we will look at it again.'],
    cy: ['Mae eich achos wedi’i gau', 'Rydym wedi cau eich achos. Y canlyniad yw: {{outcome}}.\n\n{{reason}}\n\nOs oes gennych wybodaeth newydd, cysylltwch â ni gan nodi cyfeirnod eich achos a byddwn yn edrych arno eto.'],
    smsEn: 'we have closed your case ({{outcome}}). We will write to you with the reasons.',
    smsCy: 'rydym wedi cau eich achos ({{outcome}}). Byddwn yn ysgrifennu atoch gyda’r rhesymau.',
  }),
  m('case.closed.no_suspect', 'Closed: investigation complete, no suspect identified', {
    en: ['Your case has been closed: no suspect identified', 'We have investigated your case but have not been able to identify who was responsible, so we have closed it.\n\n{{reason}}\n\nIf new information comes to light, we will look at it again.'],
    cy: ['Mae eich achos wedi’i gau: neb wedi’i adnabod', 'Rydym wedi ymchwilio i’ch achos ond nid ydym wedi gallu adnabod pwy oedd yn gyfrifol, felly rydym wedi ei gau.\n\n{{reason}}\n\nOs daw gwybodaeth newydd i’r amlwg, byddwn yn edrych arno eto.'],
    smsEn: 'we could not identify who was responsible, so your case is closed. Tell us if you have new information.',
    smsCy: 'ni allem adnabod pwy oedd yn gyfrifol, felly mae eich achos wedi’i gau. Rhowch wybod os oes gennych wybodaeth newydd.',
  }),
  m('case.closed.evidential_difficulties', 'Closed: evidential difficulties', {
    en: ['Your case has been closed', 'We have closed your case because there is not enough evidence to take it further. {{reason}}\n\nYou can ask for this decision to be reviewed under the Victims’ Right to Review scheme.'],
    cy: ['Mae eich achos wedi’i gau', 'Rydym wedi cau eich achos am nad oes digon o dystiolaeth i fynd ag ef ymhellach. {{reason}}\n\nGallwch ofyn i’r penderfyniad hwn gael ei adolygu o dan y cynllun Hawl Dioddefwyr i Adolygiad.'],
    smsEn: 'your case is closed: there is not enough evidence to take it further. You can ask for a review.',
    smsCy: 'mae eich achos wedi’i gau: nid oes digon o dystiolaeth i fynd ymhellach. Gallwch ofyn am adolygiad.',
  }),
  m('case.closed.charged', 'Closed: charged or summonsed', {
    en: ['Your case: someone has been charged', 'The police part of your case is complete: someone has been charged or summonsed, and the case is with the courts. The Witness Care Unit will keep you updated.'],
    cy: ['Eich achos: mae rhywun wedi’i gyhuddo', 'Mae rhan yr heddlu o’ch achos wedi’i chwblhau: mae rhywun wedi’i gyhuddo neu ei wysio, ac mae’r achos gyda’r llysoedd. Bydd yr Uned Gofal Tystion yn rhoi’r wybodaeth ddiweddaraf i chi.'],
    smsEn: 'someone has been charged; the Witness Care Unit will update you about court.',
    smsCy: 'mae rhywun wedi’i gyhuddo; bydd yr Uned Gofal Tystion yn rhoi diweddariadau am y llys.',
  }),
  m('case.closed.caution', 'Closed: caution', {
    en: ['Your case has been closed: a caution was given', 'The person responsible admitted the offence and has been given a caution. A caution is a formal warning and stays on their record. {{reason}}'],
    cy: ['Mae eich achos wedi’i gau: rhoddwyd rhybudd', 'Cyfaddefodd y person sy’n gyfrifol y drosedd a chafodd rybudd. Rhybudd ffurfiol yw hwn ac mae’n aros ar ei gofnod. {{reason}}'],
    smsEn: 'the person responsible has been given a caution and your case is closed.',
    smsCy: 'mae’r person sy’n gyfrifol wedi cael rhybudd ac mae eich achos wedi’i gau.',
  }),
  m('case.closed.community_resolution', 'Closed: community resolution or diversion', {
    en: ['Your case has been closed: community resolution', 'Your case has been resolved without going to court, through a community resolution or a diversion scheme. {{reason}}'],
    cy: ['Mae eich achos wedi’i gau: datrysiad cymunedol', 'Mae eich achos wedi’i ddatrys heb fynd i’r llys, drwy ddatrysiad cymunedol neu gynllun dargyfeirio. {{reason}}'],
    smsEn: 'your case has been resolved through a community resolution and is closed.',
    smsCy: 'mae eich achos wedi’i ddatrys drwy ddatrysiad cymunedol ac wedi’i gau.',
  }),
  m('case.closed.penalty_notice', 'Closed: penalty notice or warning', {
    en: ['Your case has been closed: a penalty or warning was given', 'The person responsible has been given a penalty notice or a formal warning. {{reason}}'],
    cy: ['Mae eich achos wedi’i gau: rhoddwyd cosb neu rybudd', 'Mae’r person sy’n gyfrifol wedi cael hysbysiad cosb neu rybudd ffurfiol. {{reason}}'],
    smsEn: 'the person responsible has been given a penalty or warning and your case is closed.',
    smsCy: 'mae’r person sy’n gyfrifol wedi cael cosb neu rybudd ac mae eich achos wedi’i gau.',
  }),
  m('case.closed.public_interest', 'Closed: not in the public interest', {
    en: ['Your case has been closed', 'We, or the Crown Prosecution Service, have decided that taking further action is not in the public interest. {{reason}}\n\nYou can ask for this decision to be reviewed under the Victims’ Right to Review scheme.'],
    cy: ['Mae eich achos wedi’i gau', 'Rydym ni, neu Wasanaeth Erlyn y Goron, wedi penderfynu nad yw cymryd camau pellach er budd y cyhoedd. {{reason}}\n\nGallwch ofyn i’r penderfyniad hwn gael ei adolygu o dan y cynllun Hawl Dioddefwyr i Adolygiad.'],
    smsEn: 'further action is not in the public interest, so your case is closed. You can ask for a review.',
    smsCy: 'nid yw camau pellach er budd y cyhoedd, felly mae eich achos wedi’i gau. Gallwch ofyn am adolygiad.',
  }),
  m('case.closed.prosecution_prevented', 'Closed: prosecution prevented', {
    en: ['Your case has been closed', 'We cannot prosecute in your case: {{outcome}}. {{reason}}'],
    cy: ['Mae eich achos wedi’i gau', 'Ni allwn erlyn yn eich achos: {{outcome}}. {{reason}}'],
    smsEn: 'we cannot prosecute in your case, so it is closed. We will write with the reasons.',
    smsCy: 'ni allwn erlyn yn eich achos, felly mae wedi’i gau. Byddwn yn ysgrifennu gyda’r rhesymau.',
  }),
  m('case.closed.other_agency', 'Closed: another body takes it forward', {
    en: ['Your case has been passed on', 'Another organisation is taking your case forward. {{reason}}'],
    cy: ['Mae eich achos wedi’i drosglwyddo', 'Mae sefydliad arall yn mynd â’ch achos yn ei flaen. {{reason}}'],
    smsEn: 'another organisation is taking your case forward.',
    smsCy: 'mae sefydliad arall yn mynd â’ch achos yn ei flaen.',
  }),
  m('case.closed.taken_into_consideration', 'Closed: taken into consideration', {
    en: ['Your case has been closed', 'The person responsible has admitted this offence and asked for it to be taken into consideration by the court when they are sentenced for another. {{reason}}'],
    cy: ['Mae eich achos wedi’i gau', 'Mae’r person sy’n gyfrifol wedi cyfaddef y drosedd hon ac wedi gofyn i’r llys ei hystyried pan gaiff ei ddedfrydu am drosedd arall. {{reason}}'],
    smsEn: 'the offence has been admitted and will be taken into consideration by the court.',
    smsCy: 'mae’r drosedd wedi’i chyfaddef a bydd y llys yn ei hystyried.',
  }),
  m('case.not_investigated', 'A decision not to investigate further', {
    en: ['We will not investigate your case further', 'We have looked carefully at your report and decided not to investigate it further at this time. {{reason}}\n\nIf you have new information, please contact us.'],
    cy: ['Ni fyddwn yn ymchwilio ymhellach i’ch achos', 'Rydym wedi edrych yn ofalus ar eich adroddiad ac wedi penderfynu peidio ag ymchwilio iddo ymhellach ar hyn o bryd. {{reason}}\n\nOs oes gennych wybodaeth newydd, cysylltwch â ni.'],
    smsEn: 'we have decided not to investigate your case further for now.',
    smsCy: 'rydym wedi penderfynu peidio ag ymchwilio ymhellach i’ch achos am y tro.',
  }),
  m('case.satisfaction_survey', 'One question after closure: how satisfied were you', {
    en: ['How did we do?', 'Your case is closed. Overall, how satisfied are you with how we dealt with it? Reply with a number from 1 (very dissatisfied) to 5 (very satisfied). You do not have to answer.'],
    cy: ['Sut wnaethon ni?', 'Mae eich achos wedi’i gau. At ei gilydd, pa mor fodlon ydych chi â’r ffordd y gwnaethom ddelio ag ef? Atebwch gyda rhif o 1 (anfodlon iawn) i 5 (bodlon iawn). Does dim rhaid i chi ateb.'],
    smsEn: 'how satisfied are you with how we dealt with your case? Reply 1 (very dissatisfied) to 5 (very satisfied).',
    smsCy: 'pa mor fodlon ydych chi â’r ffordd y gwnaethom ddelio â’ch achos? Atebwch 1 (anfodlon iawn) i 5 (bodlon iawn).',
  }),
];
