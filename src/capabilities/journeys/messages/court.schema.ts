import { journeyMessage as m, type JourneyMessage } from './message-kit.schema.ts';

// Journey messages about court, appointments and property.

export const COURT_MESSAGES: readonly JourneyMessage[] = [
  m('case.court_date_set', 'A court date was set', {
    en: ['A court date has been set', 'The case will be heard at {{place}} on {{date}} at {{time}}. The Witness Care Unit will tell you if you need to attend.'],
    cy: ['Mae dyddiad llys wedi’i bennu', 'Bydd yr achos yn cael ei glywed yn {{place}} ar {{date}} am {{time}}. Bydd yr Uned Gofal Tystion yn dweud wrthych os oes angen i chi fod yno.'],
    smsEn: 'the case will be heard at {{place}} on {{date}} at {{time}}.',
    smsCy: 'bydd yr achos yn cael ei glywed yn {{place}} ar {{date}} am {{time}}.',
  }),
  m('case.court_date.reminder', 'A reminder before a court date', {
    en: ['Reminder: court hearing on {{date}}', 'This is a reminder that the case will be heard at {{place}} on {{date}} at {{time}}.'],
    cy: ['Nodyn atgoffa: gwrandawiad llys ar {{date}}', 'Dyma nodyn i’ch atgoffa y bydd yr achos yn cael ei glywed yn {{place}} ar {{date}} am {{time}}.'],
    smsEn: 'reminder: court hearing at {{place}} on {{date}} at {{time}}.',
    smsCy: 'nodyn atgoffa: gwrandawiad llys yn {{place}} ar {{date}} am {{time}}.',
  }),
  m('case.court_result', 'The court gave its result', {
    en: ['The court has reached a decision', 'The court has reached a decision in your case. {{note}}\n\nIf you would like to talk about what this means, contact your officer or the Witness Care Unit.'],
    cy: ['Mae’r llys wedi gwneud penderfyniad', 'Mae’r llys wedi gwneud penderfyniad yn eich achos. {{note}}\n\nOs hoffech siarad am yr hyn y mae hyn yn ei olygu, cysylltwch â’ch swyddog neu’r Uned Gofal Tystion.'],
    smsEn: 'the court has reached a decision in your case. We will write to you with details.',
    smsCy: 'mae’r llys wedi gwneud penderfyniad yn eich achos. Byddwn yn ysgrifennu atoch gyda’r manylion.',
  }),
  m('case.appointment_made', 'An appointment was made', {
    en: ['Your appointment on {{date}}', 'We have made an appointment for you on {{date}} at {{time}}, at {{place}}. If you cannot make it, please tell us.'],
    cy: ['Eich apwyntiad ar {{date}}', 'Rydym wedi gwneud apwyntiad i chi ar {{date}} am {{time}}, yn {{place}}. Os na allwch ddod, rhowch wybod i ni.'],
    smsEn: 'appointment on {{date}} at {{time}}, {{place}}. Tell us if you cannot make it.',
    smsCy: 'apwyntiad ar {{date}} am {{time}}, {{place}}. Rhowch wybod os na allwch ddod.',
  }),
  m('case.appointment_changed', 'An appointment was changed', {
    en: ['Your appointment has changed', 'Your appointment has changed. It is now on {{date}} at {{time}}, at {{place}}.'],
    cy: ['Mae eich apwyntiad wedi newid', 'Mae eich apwyntiad wedi newid. Mae nawr ar {{date}} am {{time}}, yn {{place}}.'],
    smsEn: 'your appointment has changed to {{date}} at {{time}}, {{place}}.',
    smsCy: 'mae eich apwyntiad wedi newid i {{date}} am {{time}}, {{place}}.',
  }),
  m('case.appointment_cancelled', 'An appointment was cancelled', {
    en: ['Your appointment has been cancelled', 'Your appointment has been cancelled. We will contact you to arrange another if one is needed.'],
    cy: ['Mae eich apwyntiad wedi’i ganslo', 'Mae eich apwyntiad wedi’i ganslo. Byddwn yn cysylltu â chi i drefnu un arall os oes angen.'],
    smsEn: 'your appointment has been cancelled. We will contact you if another is needed.',
    smsCy: 'mae eich apwyntiad wedi’i ganslo. Byddwn yn cysylltu os oes angen un arall.',
  }),
  m('appointment.reminder', 'A reminder the day before an appointment', {
    en: ['Reminder: your appointment on {{date}}', 'This is a reminder of your appointment on {{date}} at {{time}}, at {{place}}. If you cannot make it, please tell us.'],
    cy: ['Nodyn atgoffa: eich apwyntiad ar {{date}}', 'Dyma nodyn i’ch atgoffa am eich apwyntiad ar {{date}} am {{time}}, yn {{place}}. Os na allwch ddod, rhowch wybod i ni.'],
    smsEn: 'reminder: appointment on {{date}} at {{time}}, {{place}}.',
    smsCy: 'nodyn atgoffa: apwyntiad ar {{date}} am {{time}}, {{place}}.',
  }),
  m('case.property_returned', 'Property was returned', {
    en: ['Your property is being returned', 'Property held in connection with your case is ready to be returned to you. {{note}}'],
    cy: ['Mae eich eiddo’n cael ei ddychwelyd', 'Mae eiddo a gadwyd mewn cysylltiad â’ch achos yn barod i’w ddychwelyd i chi. {{note}}'],
    smsEn: 'property held for your case is ready to be returned to you.',
    smsCy: 'mae eiddo a gadwyd ar gyfer eich achos yn barod i’w ddychwelyd i chi.',
  }),
];
