import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AmlFormatError, describeAml, parseAmlHttps, parseAmlSms } from './aml.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const form = (body: string) => new Map(new URLSearchParams(body));

describe('AML (ETSI TS 103 625) parsing', () => {
  it('reads the HTTPS form data set, keeping only the last four digits of IMEI and IMSI', () => {
    const record = parseAmlHttps(form(fixture('aml-https-uk.form')));
    expect(record).toEqual({
      transport: 'https',
      deviceNumber: '+447477593102',
      lat: 55.85732,
      lon: -4.26325,
      radiusMetres: 10.4,
      time: new Date(1476189444435),
      // The UK form has no `time`: nothing says when its call began.
      callStartedAt: null,
      positioningMethod: 'gps',
      confidencePercent: 83,
      emergencyNumber: null,
      imeiLast4: '9116',
      imsiLast4: '7582',
      networkMcc: '234',
      networkMnc: '15',
    });
  });

  it('reads the Google ELS field names and prefers location_time over the call time', () => {
    const json = JSON.parse(fixture('aml-https-els.json')) as Record<string, string>;
    const record = parseAmlHttps(new Map(Object.entries(json)));
    expect(record).toMatchObject({ lat: 37.4217845, lon: -122.0847413, radiusMetres: 20, emergencyNumber: '911', positioningMethod: 'gps' });
    expect(record.time?.getTime()).toBe(1438102600123);
    // ELS `time` is when the call began: kept as such, so a fix is matched to its call (decision 0107).
    expect(record.callStartedAt?.getTime()).toBe(1438101600123);
  });

  it('keeps a fix whose location_time is sound when its call time is not, as it did before the call time was read', () => {
    const json = JSON.parse(fixture('aml-https-els.json')) as Record<string, string>;
    // A handset whose clock reset (1980) or sent rubbish: the position and its own time still stand.
    for (const time of ['315532800000', 'yesterday', '99999999999999']) {
      const record = parseAmlHttps(new Map(Object.entries({ ...json, time })));
      expect(record).toMatchObject({ lat: 37.4217845, lon: -122.0847413, callStartedAt: null });
      expect(record.time?.getTime()).toBe(1438102600123);
    }
    // Without location_time the call time is the fix's only time: rubbish there is still refused.
    const { location_time: _locationTime, ...withoutFixTime } = json;
    expect(() => parseAmlHttps(new Map(Object.entries({ ...withoutFixTime, time: 'yesterday' })))).toThrow(AmlFormatError);
  });

  it('reads ELS location_confidence as the fraction it is, and ETSI location_certainty as a percentage', () => {
    const json = JSON.parse(fixture('aml-https-els.json')) as Record<string, string>;
    expect(parseAmlHttps(new Map(Object.entries(json))).confidencePercent).toBe(68.27);
    expect(parseAmlHttps(new Map(Object.entries({ ...json, location_confidence: '1' }))).confidencePercent).toBe(100);
    expect(parseAmlHttps(new Map(Object.entries({ ...json, location_confidence: '0' }))).confidencePercent).toBe(0);
    // A sender that writes a percentage there still reads as one.
    expect(parseAmlHttps(new Map(Object.entries({ ...json, location_confidence: '95' }))).confidencePercent).toBe(95);
    expect(parseAmlHttps(new Map(Object.entries({ ...json, location_certainty: '83' }))).confidencePercent).toBe(83);
    for (const bad of ['-0.5', '101', 'high', '0x1']) expect(() => parseAmlHttps(new Map(Object.entries({ ...json, location_confidence: bad })))).toThrow(/location_confidence/);
  });

  it('reads the SMS form from the standard and from Google ELS', () => {
    expect(parseAmlSms(fixture('aml-sms-etsi.txt'))).toEqual({
      transport: 'sms',
      deviceNumber: null,
      lat: 55.74317,
      lon: -4.26881,
      radiusMetres: 50,
      time: new Date('2013-07-17T14:19:35Z'),
      // `top` is when the position was fixed; the SMS does not say when the call began.
      callStartedAt: null,
      positioningMethod: 'wifi',
      confidencePercent: 90,
      emergencyNumber: null,
      imeiLast4: '3456',
      imsiLast4: '2345',
      networkMcc: '234',
      networkMnc: '30',
    });
    expect(parseAmlSms(fixture('aml-sms-els-located.txt'))).toMatchObject({ lat: 51.53321, lon: -0.12601, radiusMetres: 14, confidencePercent: 68 });
  });

  it('reads a handset with no fix as "no location", not as the point 0,0', () => {
    const record = parseAmlSms(fixture('aml-sms-els-no-location.txt'));
    expect(record).toMatchObject({ lat: null, lon: null, radiusMetres: null, positioningMethod: 'none' });
    expect(describeAml(record, '+447700900123')).toBe('AML from +447700900123: the handset could not determine its location at 2022-01-31T17:37:34Z');
  });

  it('describes a position in one line', () => {
    const record = parseAmlHttps(form(fixture('aml-https-uk.form')));
    expect(describeAml(record, '+447477593102')).toBe('AML location for +447477593102: 55.85732, -4.26325 (±10.4 m, GPS) at 2016-10-11T12:37:24.435Z');
  });

  it.each([
    ['latitude out of range', 'A"ML=1;lt=+91.00000;lg=-4.26881;rd=50;top=20130717141935;lc=90;pm=W'],
    ['longitude out of range', 'A"ML=1;lt=+55.74317;lg=-180.5;rd=50;top=20130717141935;lc=90;pm=W'],
    ['no longitude', 'A"ML=1;lt=+55.74317;rd=50;top=20130717141935;lc=90;pm=W'],
    ['not a number', 'A"ML=1;lt=north;lg=-4.26881;rd=50;top=20130717141935;lc=90;pm=W'],
    ['an impossible date', 'A"ML=1;lt=+55.74317;lg=-4.26881;rd=50;top=20130231141935;lc=90;pm=W'],
    ['an unknown method', 'A"ML=1;lt=+55.74317;lg=-4.26881;rd=50;top=20130717141935;lc=90;pm=constructor'],
    ['another version', 'A"ML=2;en=+15555555555;et=1593187189;lo=-37.42175,-122.08461,2000.1'],
    ['no header', 'lt=+55.74317;lg=-4.26881;rd=50;top=20130717141935;pm=W'],
    ['a pair without =', 'A"ML=1;lt+55.74317'],
    ['a time before 2000', 'A"ML=1;lt=+55.74317;lg=-4.26881;rd=50;top=19990717141935;lc=90;pm=W'],
    ['a radius of 1,000 km', 'A"ML=1;lt=+55.74317;lg=-4.26881;rd=1000000;top=20130717141935;lc=90;pm=W'],
  ])('refuses an SMS with %s', (_, text) => {
    expect(() => parseAmlSms(text)).toThrow(AmlFormatError);
  });

  it.each([
    ['latitude out of range', 'device_number=%2B447477593102&location_latitude=95.1&location_longitude=-4.26325'],
    ['a latitude without a longitude', 'device_number=%2B447477593102&location_latitude=55.85732'],
    ['a hexadecimal latitude', 'device_number=%2B447477593102&location_latitude=0x10&location_longitude=-4.26325'],
    ['a negative accuracy', 'device_number=%2B447477593102&location_latitude=55.8&location_longitude=-4.2&location_accuracy=-3'],
    ['a time that is not milliseconds', 'device_number=%2B447477593102&location_latitude=55.8&location_longitude=-4.2&location_time=yesterday'],
    ['a time in the year 5138', 'device_number=%2B447477593102&location_latitude=55.8&location_longitude=-4.2&location_time=99999999999999'],
    ['an accuracy of 400 digits', `device_number=%2B447477593102&location_latitude=55.8&location_longitude=-4.2&location_accuracy=${'9'.repeat(400)}`],
  ])('refuses an HTTPS data set with %s', (_, body) => {
    expect(() => parseAmlHttps(form(body))).toThrow(AmlFormatError);
  });
});
