// The help articles every force starts with, in English and Welsh, written for the public in plain
// language. A force edits its own copies (or unpublishes them); these are only added where a force
// has no article with the slug. Bodies are plain text: a blank line starts a new paragraph.

export type HelpArticleSeed = {
  slug: string;
  title: string;
  titleCy: string;
  body: string;
  bodyCy: string;
  /** Case event types whose updates link to the article. */
  milestoneTypes: string[];
};

export const HELP_ARTICLE_SEEDS: readonly HelpArticleSeed[] = [
  {
    slug: 'no-further-action',
    title: "What does 'no further action' mean?",
    titleCy: "Beth mae 'dim camau pellach' yn ei olygu?",
    body:
      "'No further action' means the police or the Crown Prosecution Service have decided not to take the case any further for now. " +
      'It does not mean we did not believe you, or that nothing happened.\n\n' +
      'It can happen when there is not enough evidence to charge someone, when nobody could be identified, or when going to court would not be in the public interest.\n\n' +
      'If new evidence comes to light, the case can be looked at again. Tell us if you know something new.\n\n' +
      'If you are not happy with the decision, you may be able to ask for it to be reviewed under the Victims’ Right to Review scheme. Ask your officer how, quoting your reference.',
    bodyCy:
      "Mae 'dim camau pellach' yn golygu bod yr heddlu neu Wasanaeth Erlyn y Goron wedi penderfynu peidio â mynd â’r achos ymhellach am y tro. " +
      'Nid yw’n golygu nad oeddem yn eich credu, nac nad oedd dim wedi digwydd.\n\n' +
      'Gall ddigwydd pan nad oes digon o dystiolaeth i gyhuddo rhywun, pan nad oedd modd adnabod neb, neu pan na fyddai mynd i’r llys er budd y cyhoedd.\n\n' +
      'Os daw tystiolaeth newydd i’r amlwg, gellir edrych ar yr achos eto. Rhowch wybod i ni os ydych yn gwybod rhywbeth newydd.\n\n' +
      'Os nad ydych yn hapus â’r penderfyniad, efallai y gallwch ofyn iddo gael ei adolygu o dan gynllun Hawl Dioddefwyr i Adolygiad. Gofynnwch i’ch swyddog sut, gan roi eich cyfeirnod.',
    milestoneTypes: ['case.closed'],
  },
  {
    slug: 'crime-reference-for-insurer',
    title: 'How do I get a crime reference for my insurer?',
    titleCy: 'Sut mae cael cyfeirnod trosedd ar gyfer fy yswiriwr?',
    body:
      'Your crime reference is the case reference shown at the top of your case page. It is also in the emails and messages we send you about the case.\n\n' +
      'Give this reference to your insurer. They may contact us to check it; we will confirm the reference and the date the crime was reported.\n\n' +
      'We cannot give insurers a copy of your statement or other evidence without your permission.\n\n' +
      'If you reported online and have only a report reference, use that: it is linked to your case.',
    bodyCy:
      'Eich cyfeirnod trosedd yw cyfeirnod yr achos sydd ar frig tudalen eich achos. Mae hefyd yn y negeseuon e-bost a’r negeseuon rydym yn eu hanfon atoch am yr achos.\n\n' +
      'Rhowch y cyfeirnod hwn i’ch yswiriwr. Efallai y byddant yn cysylltu â ni i’w wirio; byddwn yn cadarnhau’r cyfeirnod a’r dyddiad y rhoddwyd gwybod am y drosedd.\n\n' +
      'Ni allwn roi copi o’ch datganiad na thystiolaeth arall i yswirwyr heb eich caniatâd.\n\n' +
      'Os gwnaethoch roi gwybod ar-lein a bod gennych gyfeirnod adroddiad yn unig, defnyddiwch hwnnw: mae wedi’i gysylltu â’ch achos.',
    milestoneTypes: ['case.created', 'case.allocated'],
  },
  {
    slug: 'released-under-investigation',
    title: 'What is released under investigation?',
    titleCy: 'Beth yw rhyddhau dan ymchwiliad?',
    body:
      'Sometimes a suspect is let go from custody while the police carry on investigating. This is called being released under investigation.\n\n' +
      'It is not the end of the case. The suspect has not been cleared and may still be charged.\n\n' +
      'Unlike bail, there are no conditions on the suspect and no date to return. If you are worried about your safety, tell us straight away. If you are in danger, call 999.\n\n' +
      'We will tell you when a decision is made.',
    bodyCy:
      'Weithiau mae’r sawl a ddrwgdybir yn cael ei ryddhau o’r ddalfa tra bod yr heddlu’n parhau i ymchwilio. Rhyddhau dan ymchwiliad yw’r enw ar hyn.\n\n' +
      'Nid dyma ddiwedd yr achos. Nid yw’r sawl a ddrwgdybir wedi’i glirio a gallai gael ei gyhuddo o hyd.\n\n' +
      'Yn wahanol i fechnïaeth, nid oes amodau ar y sawl a ddrwgdybir na dyddiad i ddychwelyd. Os ydych yn poeni am eich diogelwch, rhowch wybod i ni ar unwaith. Os ydych mewn perygl, ffoniwch 999.\n\n' +
      'Byddwn yn dweud wrthych pan wneir penderfyniad.',
    milestoneTypes: ['case.released_under_investigation', 'case.bailed', 'case.suspect_arrested'],
  },
  {
    slug: 'what-happens-at-court',
    title: 'What happens at court?',
    titleCy: 'Beth sy’n digwydd yn y llys?',
    body:
      'If someone is charged, the case goes to a magistrates’ court first. Less serious cases are dealt with there; serious ones are sent to the Crown Court.\n\n' +
      'If the defendant pleads guilty, there is no trial and you will not usually need to give evidence. If they plead not guilty, there will be a trial and you may be asked to be a witness.\n\n' +
      'The Witness Service can show you round the court before the day and support you on it. You can ask for special measures, such as giving evidence from behind a screen or by video link.\n\n' +
      'We will tell you the court dates and the result.',
    bodyCy:
      'Os caiff rhywun ei gyhuddo, mae’r achos yn mynd i lys ynadon yn gyntaf. Ymdrinnir ag achosion llai difrifol yno; anfonir rhai difrifol i Lys y Goron.\n\n' +
      'Os yw’r diffynnydd yn pledio’n euog, nid oes treial ac fel arfer ni fydd angen i chi roi tystiolaeth. Os yw’n pledio’n ddieuog, bydd treial ac efallai y gofynnir i chi fod yn dyst.\n\n' +
      'Gall y Gwasanaeth Tystion ddangos y llys i chi cyn y diwrnod a’ch cefnogi ar y diwrnod. Gallwch ofyn am fesurau arbennig, fel rhoi tystiolaeth o’r tu ôl i sgrin neu drwy gyswllt fideo.\n\n' +
      'Byddwn yn dweud wrthych beth yw dyddiadau’r llys a’r canlyniad.',
    milestoneTypes: ['case.charged', 'case.court_date_set', 'case.court_result'],
  },
  {
    slug: 'victims-code-rights',
    title: 'Your rights under the Victims’ Code',
    titleCy: 'Eich hawliau o dan y Cod Dioddefwyr',
    body:
      'The Code of Practice for Victims of Crime in England and Wales (the Victims’ Code) sets out what you can expect from the police and other services.\n\n' +
      'You have the right to be told about important updates in your case, such as an arrest, a charge, the suspect being released or bailed, or a decision to take no further action. ' +
      'We must tell you within 5 working days, or within 1 working day if you are entitled to enhanced rights.\n\n' +
      'You also have the right to be referred to services that support victims, to make a Victim Personal Statement, to get help with interpreting, and to complain if your rights are not met.\n\n' +
      'You do not have to report a crime to get support.',
    bodyCy:
      'Mae’r Cod Ymarfer ar gyfer Dioddefwyr Troseddau yng Nghymru a Lloegr (y Cod Dioddefwyr) yn nodi’r hyn y gallwch ei ddisgwyl gan yr heddlu a gwasanaethau eraill.\n\n' +
      'Mae gennych hawl i gael gwybod am ddiweddariadau pwysig yn eich achos, fel arestio, cyhuddo, rhyddhau’r sawl a ddrwgdybir neu ei ryddhau ar fechnïaeth, neu benderfyniad i beidio â chymryd camau pellach. ' +
      'Rhaid i ni ddweud wrthych o fewn 5 diwrnod gwaith, neu o fewn 1 diwrnod gwaith os oes gennych hawl i hawliau uwch.\n\n' +
      'Mae gennych hefyd hawl i gael eich atgyfeirio at wasanaethau sy’n cefnogi dioddefwyr, i wneud Datganiad Personol Dioddefwr, i gael help gyda chyfieithu, ac i gwyno os na chaiff eich hawliau eu bodloni.\n\n' +
      'Nid oes rhaid i chi roi gwybod am drosedd i gael cymorth.',
    milestoneTypes: ['case.created', 'case.charged', 'case.closed'],
  },
];
