import { journeyMessage as m, type JourneyMessage } from './message-kit.schema.ts';

// Journey messages about a suspect: identified, arrested, interviewed, released, bailed, charged,
// or dealt with out of court. The Victims' Code requires most of these.

export const SUSPECT_MESSAGES: readonly JourneyMessage[] = [
  m('case.suspect_identified', 'A suspect was identified', {
    en: ['A suspect has been identified', 'We have identified a suspect in your case. We will tell you if they are arrested or interviewed.'],
    cy: ['Mae rhywun dan amheuaeth wedi’i adnabod', 'Rydym wedi adnabod rhywun dan amheuaeth yn eich achos. Byddwn yn dweud wrthych os caiff ei arestio neu ei gyfweld.'],
    smsEn: 'we have identified a suspect in your case.',
    smsCy: 'rydym wedi adnabod rhywun dan amheuaeth yn eich achos.',
  }),
  m('case.suspect_arrested', 'A suspect was arrested', {
    en: ['Someone has been arrested', 'We have arrested someone in connection with your case. We will tell you what happens next, for example whether they are charged or released.'],
    cy: ['Mae rhywun wedi cael ei arestio', 'Rydym wedi arestio rhywun mewn cysylltiad â’ch achos. Byddwn yn dweud wrthych beth sy’n digwydd nesaf, er enghraifft a gaiff ei gyhuddo neu ei ryddhau.'],
    smsEn: 'we have arrested someone in connection with your case.',
    smsCy: 'rydym wedi arestio rhywun mewn cysylltiad â’ch achos.',
  }),
  m('case.suspect_interviewed', 'A suspect was interviewed', {
    en: ['A suspect has been interviewed', 'We have interviewed a suspect in your case. We are now considering the evidence and will tell you the decision.'],
    cy: ['Mae rhywun dan amheuaeth wedi’i gyfweld', 'Rydym wedi cyfweld rhywun dan amheuaeth yn eich achos. Rydym yn ystyried y dystiolaeth nawr a byddwn yn dweud wrthych beth yw’r penderfyniad.'],
    smsEn: 'we have interviewed a suspect in your case.',
    smsCy: 'rydym wedi cyfweld rhywun dan amheuaeth yn eich achos.',
  }),
  m('case.released_under_investigation', 'A suspect was released under investigation', {
    en: ['A suspect has been released while we investigate', 'The suspect in your case has been released under investigation. This means they have not been charged, and we are still investigating. If you are worried for your safety, tell us straight away.'],
    cy: ['Mae’r un dan amheuaeth wedi’i ryddhau tra byddwn yn ymchwilio', 'Mae’r un dan amheuaeth yn eich achos wedi’i ryddhau dan ymchwiliad. Mae hyn yn golygu nad yw wedi’i gyhuddo, ac rydym yn dal i ymchwilio. Os ydych yn poeni am eich diogelwch, dywedwch wrthym ar unwaith.'],
    smsEn: 'the suspect has been released under investigation; we are still investigating.',
    smsCy: 'mae’r un dan amheuaeth wedi’i ryddhau dan ymchwiliad; rydym yn dal i ymchwilio.',
  }),
  m('case.bailed', 'A suspect was bailed', {
    en: ['A suspect has been released on bail', 'The suspect in your case has been released on bail while we investigate. They may have conditions to keep to; if they break them or you are worried for your safety, tell us straight away.'],
    cy: ['Mae’r un dan amheuaeth wedi’i ryddhau ar fechnïaeth', 'Mae’r un dan amheuaeth yn eich achos wedi’i ryddhau ar fechnïaeth tra byddwn yn ymchwilio. Efallai bod ganddo amodau i’w cadw; os bydd yn eu torri neu os ydych yn poeni am eich diogelwch, dywedwch wrthym ar unwaith.'],
    smsEn: 'the suspect has been released on bail while we investigate.',
    smsCy: 'mae’r un dan amheuaeth wedi’i ryddhau ar fechnïaeth tra byddwn yn ymchwilio.',
  }),
  m('case.suspect_no_further_action', 'No further action against a suspect', {
    en: ['No further action against the suspect', 'We have decided to take no further action against the suspect in your case. {{reason}}\n\nYou can ask for this decision to be reviewed under the Victims’ Right to Review scheme.'],
    cy: ['Dim camau pellach yn erbyn yr un dan amheuaeth', 'Rydym wedi penderfynu peidio â chymryd camau pellach yn erbyn yr un dan amheuaeth yn eich achos. {{reason}}\n\nGallwch ofyn i’r penderfyniad hwn gael ei adolygu o dan y cynllun Hawl Dioddefwyr i Adolygiad.'],
    smsEn: 'we will take no further action against the suspect. You can ask for a review.',
    smsCy: 'ni fyddwn yn cymryd camau pellach yn erbyn yr un dan amheuaeth. Gallwch ofyn am adolygiad.',
  }),
  m('case.charged', 'A suspect was charged', {
    en: ['Someone has been charged', 'Someone has been charged in connection with your case. The case will now go to court. We will tell you the date of the first hearing when we know it.'],
    cy: ['Mae rhywun wedi’i gyhuddo', 'Mae rhywun wedi’i gyhuddo mewn cysylltiad â’ch achos. Bydd yr achos yn mynd i’r llys nawr. Byddwn yn dweud wrthych ddyddiad y gwrandawiad cyntaf pan fyddwn yn ei wybod.'],
    smsEn: 'someone has been charged in connection with your case.',
    smsCy: 'mae rhywun wedi’i gyhuddo mewn cysylltiad â’ch achos.',
  }),
  m('victims_code.personal_statement', 'An invitation to make a Victim Personal Statement', {
    en: ['Tell the court how the crime affected you', 'Now that someone has been charged, you can make a Victim Personal Statement: your own words about how the crime has affected you. The court will take it into account. Tell your officer if you would like to make one.'],
    cy: ['Dywedwch wrth y llys sut mae’r drosedd wedi effeithio arnoch', 'Gan fod rhywun wedi’i gyhuddo, gallwch wneud Datganiad Personol Dioddefwr: eich geiriau eich hun am effaith y drosedd arnoch. Bydd y llys yn ei ystyried. Dywedwch wrth eich swyddog os hoffech wneud un.'],
    smsEn: 'you can make a Victim Personal Statement for the court. Ask your officer.',
    smsCy: 'gallwch wneud Datganiad Personol Dioddefwr i’r llys. Gofynnwch i’ch swyddog.',
  }),
  m('witness_care.referral', 'The Witness Care Unit takes over court updates', {
    en: ['Who will update you about court', 'The Witness Care Unit will now keep you updated about the court case, including hearing dates and whether you need to give evidence.'],
    cy: ['Pwy fydd yn rhoi gwybodaeth i chi am y llys', 'Bydd yr Uned Gofal Tystion yn rhoi’r wybodaeth ddiweddaraf i chi am yr achos llys nawr, gan gynnwys dyddiadau gwrandawiadau ac a oes angen i chi roi tystiolaeth.'],
    smsEn: 'the Witness Care Unit will now update you about the court case.',
    smsCy: 'bydd yr Uned Gofal Tystion yn rhoi diweddariadau i chi am yr achos llys nawr.',
  }),
  m('case.out_of_court_disposal', 'An out-of-court disposal was given', {
    en: ['Your case has been dealt with out of court', 'The person responsible has been dealt with without going to court (for example a caution or a community resolution). {{reason}}'],
    cy: ['Mae eich achos wedi’i ddatrys y tu allan i’r llys', 'Mae’r person sy’n gyfrifol wedi cael ei drin heb fynd i’r llys (er enghraifft rhybudd neu ddatrysiad cymunedol). {{reason}}'],
    smsEn: 'your case has been dealt with out of court.',
    smsCy: 'mae eich achos wedi’i ddatrys y tu allan i’r llys.',
  }),
];
