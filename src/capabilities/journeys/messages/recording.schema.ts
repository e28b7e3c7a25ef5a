import { journeyMessage as m, type JourneyMessage } from './message-kit.schema.ts';

// Journey messages from recording to investigation: received, rights, allocation, progress.

export const RECORDING_MESSAGES: readonly JourneyMessage[] = [
  m('case.report_received', 'A report became a case', {
    en: [
      'Your report {{reference}} has been received',
      'Thank you for your report ({{reference}}). {{forceName}} has recorded it as case {{caseReference}} and an officer will look at it.\n\nYou can check your report online at any time with your reference number. We will keep you updated as it progresses.',
    ],
    cy: [
      'Mae eich adroddiad {{reference}} wedi dod i law',
      'Diolch am eich adroddiad ({{reference}}). Mae {{forceName}} wedi ei gofnodi fel achos {{caseReference}} a bydd swyddog yn edrych arno.\n\nGallwch wirio eich adroddiad ar-lein unrhyw bryd gyda’ch cyfeirnod. Byddwn yn rhoi’r wybodaeth ddiweddaraf i chi wrth iddo fynd yn ei flaen.',
    ],
    smsEn: 'we have recorded your report as a case and will keep you updated.',
    smsCy: 'rydym wedi cofnodi eich adroddiad fel achos a byddwn yn rhoi’r wybodaeth ddiweddaraf i chi.',
  }),
  m('case.recorded', 'A crime was recorded directly', {
    en: ['We have recorded a crime: {{caseReference}}', 'We have recorded the crime you told us about ({{crimeType}}). Please keep your case reference: you will need it if you contact us about this.'],
    cy: ['Rydym wedi cofnodi trosedd: {{caseReference}}', 'Rydym wedi cofnodi’r drosedd y dywedoch wrthym amdani ({{crimeType}}). Cadwch gyfeirnod eich achos: bydd ei angen arnoch os byddwch yn cysylltu â ni am hyn.'],
    smsEn: 'we have recorded the crime you reported. Keep this reference.',
    smsCy: 'rydym wedi cofnodi’r drosedd a adroddwyd gennych. Cadwch y cyfeirnod hwn.',
  }),
  m('victims_code.rights', 'Your rights under the Victims’ Code', {
    en: [
      'Your rights as a victim of crime',
      'As a victim of crime you have rights under the Code of Practice for Victims of Crime (the Victims’ Code). They include being told how your case is going, being referred to support services, and making a statement about how the crime has affected you.\n\nSearch "Victims’ Code" on GOV.UK to read them all.',
    ],
    cy: [
      'Eich hawliau fel dioddefwr trosedd',
      'Fel dioddefwr trosedd mae gennych hawliau o dan y Cod Ymarfer ar gyfer Dioddefwyr Troseddau (Cod y Dioddefwyr). Maent yn cynnwys cael gwybod sut mae eich achos yn mynd, cael eich atgyfeirio at wasanaethau cymorth, a gwneud datganiad am effaith y drosedd arnoch.\n\nChwiliwch am "Cod y Dioddefwyr" ar GOV.UK i’w darllen i gyd.',
    ],
    smsEn: 'as a victim of crime you have rights under the Victims’ Code. Search "Victims’ Code" on GOV.UK.',
    smsCy: 'fel dioddefwr trosedd mae gennych hawliau o dan Cod y Dioddefwyr. Chwiliwch "Cod y Dioddefwyr" ar GOV.UK.',
  }),
  m('victims_code.enhanced_rights', 'The victim is entitled to enhanced rights', {
    en: ['You are entitled to enhanced support', 'Because of what has happened to you, you are entitled to enhanced rights under the Victims’ Code. This means we will tell you about important updates sooner, within one working day, and you can ask for extra support.'],
    cy: ['Mae gennych hawl i gymorth uwch', 'Oherwydd yr hyn sydd wedi digwydd i chi, mae gennych hawl i hawliau uwch o dan Cod y Dioddefwyr. Mae hyn yn golygu y byddwn yn dweud wrthych am ddiweddariadau pwysig yn gynt, o fewn un diwrnod gwaith, a gallwch ofyn am gymorth ychwanegol.'],
    smsEn: 'you are entitled to enhanced rights under the Victims’ Code. We will update you within one working day.',
    smsCy: 'mae gennych hawl i hawliau uwch o dan Cod y Dioddefwyr. Byddwn yn rhoi diweddariad o fewn un diwrnod gwaith.',
  }),
  m('victim_support.offer', 'Support for victims is offered', {
    en: ['Support is available to you', 'Free and confidential support is available to victims of crime, whether or not you have reported it. If you agree, we can pass your details to a victim support service, who will contact you. Reply or tell your officer if you would like this.'],
    cy: ['Mae cymorth ar gael i chi', 'Mae cymorth am ddim a chyfrinachol ar gael i ddioddefwyr troseddau. Os ydych yn cytuno, gallwn roi eich manylion i wasanaeth cymorth i ddioddefwyr, a fydd yn cysylltu â chi. Atebwch neu dywedwch wrth eich swyddog os hoffech hyn.'],
    smsEn: 'free, confidential support is available. Tell us if you would like a victim support service to contact you.',
    smsCy: 'mae cymorth am ddim a chyfrinachol ar gael. Dywedwch wrthym os hoffech i wasanaeth cymorth gysylltu â chi.',
  }),
  m('victim_support.referral_made', 'The victim was referred to support', {
    en: ['We have referred you for support', 'As you agreed, we have passed your details to a victim support service. They will contact you soon.'],
    cy: ['Rydym wedi eich atgyfeirio am gymorth', 'Fel y cytunwyd, rydym wedi rhoi eich manylion i wasanaeth cymorth i ddioddefwyr. Byddant yn cysylltu â chi cyn bo hir.'],
    smsEn: 'we have referred you to a victim support service; they will contact you soon.',
    smsCy: 'rydym wedi eich atgyfeirio at wasanaeth cymorth i ddioddefwyr; byddant yn cysylltu â chi cyn bo hir.',
  }),
  m('case.allocated', 'An officer was allocated to the case', {
    en: ['An officer is looking into your case', '{{officerName}} is now the officer in charge of your case. They will be in touch if they need more from you.'],
    cy: ['Mae swyddog yn ymchwilio i’ch achos', '{{officerName}} yw’r swyddog sy’n gyfrifol am eich achos bellach. Byddant yn cysylltu os bydd angen rhagor arnynt gennych.'],
    smsEn: '{{officerName}} is now the officer in charge of your case.',
    smsCy: '{{officerName}} yw’r swyddog sy’n gyfrifol am eich achos bellach.',
  }),
  m('case.allocated.team', 'A team was allocated to the case', {
    en: ['Your case has been passed to a team', 'Your case has been passed to {{team}}, who will look into it. We will tell you when an officer is in charge of it.'],
    cy: ['Mae eich achos wedi’i drosglwyddo i dîm', 'Mae eich achos wedi’i drosglwyddo i {{team}}, a fydd yn ymchwilio iddo. Byddwn yn dweud wrthych pan fydd swyddog yn gyfrifol amdano.'],
    smsEn: 'your case has been passed to {{team}}.',
    smsCy: 'mae eich achos wedi’i drosglwyddo i {{team}}.',
  }),
  m('case.investigation_started', 'The investigation began', {
    en: ['We are investigating your case', 'We have started investigating your case. We will tell you about any important developments, such as an arrest.'],
    cy: ['Rydym yn ymchwilio i’ch achos', 'Rydym wedi dechrau ymchwilio i’ch achos. Byddwn yn dweud wrthych am unrhyw ddatblygiadau pwysig, fel arestio rhywun.'],
    smsEn: 'we have started investigating your case.',
    smsCy: 'rydym wedi dechrau ymchwilio i’ch achos.',
  }),
  m('case.still_investigating', 'A regular update while the case goes on', {
    en: ['An update on your case', 'We are still investigating your case. Nothing has changed that we can tell you about yet, but we have not forgotten it.'],
    cy: ['Diweddariad ar eich achos', 'Rydym yn dal i ymchwilio i’ch achos. Nid oes dim wedi newid y gallwn ddweud wrthych amdano eto, ond nid ydym wedi ei anghofio.'],
    smsEn: 'we are still investigating your case and have not forgotten it.',
    smsCy: 'rydym yn dal i ymchwilio i’ch achos ac nid ydym wedi ei anghofio.',
  }),
  m('case.update', 'An update written by the officer', {
    en: ['An update on your case', '{{note}}'],
    cy: ['Diweddariad ar eich achos', '{{note}}'],
    smsEn: 'there is an update on your case. Sign in to the portal to read it.',
    smsCy: 'mae diweddariad ar eich achos. Mewngofnodwch i’r porth i’w ddarllen.',
  }),
  m('case.message_from_officer', 'An answer to the victim’s secure message is waiting on the portal (never its text)', {
    en: ['You have a new message about your case', 'We have answered your message about your case. To read it, sign in to check your case with your case reference.'],
    cy: ['Mae gennych neges newydd am eich achos', 'Rydym wedi ateb eich neges am eich achos. I’w darllen, mewngofnodwch i wirio eich achos gyda chyfeirnod eich achos.'],
    smsEn: 'we have answered your message about your case. Sign in to check your case to read it.',
    smsCy: 'rydym wedi ateb eich neges am eich achos. Mewngofnodwch i wirio eich achos i’w darllen.',
  }),
  m('case.reopened', 'The case was reopened', {
    en: ['Your case has been reopened', 'We have reopened your case to look at it again. We will keep you updated.'],
    cy: ['Mae eich achos wedi’i ailagor', 'Rydym wedi ailagor eich achos i edrych arno eto. Byddwn yn rhoi’r wybodaeth ddiweddaraf i chi.'],
    smsEn: 'we have reopened your case and will keep you updated.',
    smsCy: 'rydym wedi ailagor eich achos a byddwn yn rhoi’r wybodaeth ddiweddaraf i chi.',
  }),
];
