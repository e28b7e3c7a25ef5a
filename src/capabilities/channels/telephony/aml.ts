import { isPlausibleInstant } from '../../../platform/http/request-fields.ts';

/**
 * Advanced Mobile Location (ETSI TS 103 625): the position a handset sends by itself when it makes
 * an emergency call, either as an HTTPS POST of named fields or as an SMS of `key=value;` pairs.
 * These functions turn either form into one record, and refuse anything malformed. Pure: no I/O.
 */

/** How the handset fixed its position; `none` when it could not (SMS `pm=N`, or no coordinates). */
export type PositioningMethod = 'gps' | 'wifi' | 'cell' | 'unknown' | 'none';

export type AmlRecord = {
  transport: 'https' | 'sms';
  /** The caller's number as the handset or network gave it (normalised by the caller of this module). */
  deviceNumber: string | null;
  /** Null when the handset had no fix: the AML still tells the call handler that it tried. */
  lat: number | null;
  lon: number | null;
  radiusMetres: number | null;
  /** When the position was fixed: SMS `top`, HTTPS `location_time`, else HTTPS `time`. */
  time: Date | null;
  /** When the emergency call began, on the handset's clock: HTTPS `time` (Google's ELS); the SMS has none. */
  callStartedAt: Date | null;
  positioningMethod: PositioningMethod;
  confidencePercent: number | null;
  emergencyNumber: string | null;
  /** Only the last four digits are kept: enough to tell two handsets apart, not to identify one. */
  imeiLast4: string | null;
  imsiLast4: string | null;
  networkMcc: string | null;
  networkMnc: string | null;
};

export class AmlFormatError extends Error {
  override name = 'AmlFormatError';
}

const DECIMAL = /^[+-]?\d{1,3}(\.\d+)?$/;
const UNSIGNED = /^\d+(\.\d+)?$/;
const DIGITS = /^\d{1,20}$/;

function coordinate(value: string, name: string, limit: number): number {
  if (!DECIMAL.test(value)) throw new AmlFormatError(`${name} is not a number: ${value.slice(0, 20)}`);
  const number = Number(value);
  if (Math.abs(number) > limit) throw new AmlFormatError(`${name} ${number} is out of range`);
  return number;
}

/** Farther than any handset's fix could be uncertain by: a larger radius is a broken message, not a place. */
const MAX_RADIUS_METRES = 100_000;

function metres(value: string, name: string): number {
  if (!UNSIGNED.test(value) || Number(value) > MAX_RADIUS_METRES) throw new AmlFormatError(`${name} is not a distance in metres up to ${MAX_RADIUS_METRES}: ${value.slice(0, 20)}`);
  return Number(value);
}

/** A time someone can have meant (2000 to 2099, as every date a request names): year 5138 is a broken message. */
function plausible(date: Date, name: string): Date {
  if (!isPlausibleInstant(date.toISOString())) throw new AmlFormatError(`${name} is not a time from 2000 to 2099`);
  return date;
}

function percent(value: string, name: string): number {
  if (!UNSIGNED.test(value) || Number(value) > 100) throw new AmlFormatError(`${name} is not a percentage: ${value.slice(0, 20)}`);
  return Number(value);
}

/** A confidence sent as a fraction of one (ELS), as a percentage to two decimal places; one above 1 is already a percentage. */
function fractionAsPercent(value: string, name: string): number {
  if (!DECIMAL.test(value) || Number(value) < 0 || Number(value) > 100) throw new AmlFormatError(`${name} is not a fraction from 0 to 1: ${value.slice(0, 20)}`);
  const number = Number(value);
  return number > 1 ? number : Math.round(number * 10_000) / 100;
}

const lastFour = (value: string | null) => (value && DIGITS.test(value) ? value.slice(-4) : null);

/** Milliseconds since the epoch, as the HTTPS form sends `time` and `location_time`. */
function epochMillis(value: string, name: string): Date {
  if (!/^\d{10,14}$/.test(value)) throw new AmlFormatError(`${name} is not a time in milliseconds: ${value.slice(0, 20)}`);
  return plausible(new Date(Number(value)), name);
}

/**
 * ELS `time`, when the call began. Beside a `location_time` it only matches the fix to its call
 * (decision 0107): one that is not a time from 2000 to 2099 (a handset whose clock reset) is left
 * out, not the fix with it, as before it was read. Alone, it is the fix's time, and checked as such.
 */
function callStartOf(value: string, hasFixTime: boolean): Date | null {
  if (!hasFixTime) return epochMillis(value, 'time');
  try {
    return epochMillis(value, 'time');
  } catch (error) {
    if (error instanceof AmlFormatError) return null;
    throw error;
  }
}

/** `yyyyMMddHHmmss` in UTC, as the SMS sends `top`. */
function smsTime(value: string): Date {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value);
  if (!match) throw new AmlFormatError(`top is not yyyyMMddHHmmss: ${value.slice(0, 20)}`);
  const [, y, mo, d, h, mi, s] = match.map(Number);
  const date = new Date(Date.UTC(y ?? 0, (mo ?? 0) - 1, d ?? 0, h ?? 0, mi ?? 0, s ?? 0));
  // Date.UTC rolls 20130231 over to March: a date that does not round-trip is not a date.
  if (date.toISOString().replace(/\D/g, '').slice(0, 14) !== value) throw new AmlFormatError(`top is not a real time: ${value}`);
  return plausible(date, 'top');
}

// Maps, not object literals: a hostile `pm=constructor` must not find Object.prototype's members.
const HTTPS_SOURCES = new Map<string, PositioningMethod>([
  ['gps', 'gps'],
  ['wifi', 'wifi'],
  ['cell', 'cell'],
  ['unknown', 'unknown'],
]);

/**
 * The HTTPS data set (form-encoded, or the same names in a JSON object). Every field is optional in
 * the standard; we need coordinates as a pair or not at all, and refuse values that are not what
 * the field holds. Fields we do not use (device_model, cell_id, hmac…) are ignored.
 */
export function parseAmlHttps(fields: Map<string, string>): AmlRecord {
  const get = (name: string) => {
    const value = fields.get(name)?.trim();
    return value ? value : null;
  };
  const latText = get('location_latitude');
  const lonText = get('location_longitude');
  if ((latText === null) !== (lonText === null)) throw new AmlFormatError('location_latitude and location_longitude come as a pair');
  const lat = latText === null ? null : coordinate(latText, 'location_latitude', 90);
  const lon = lonText === null ? null : coordinate(lonText, 'location_longitude', 180);
  const accuracy = get('location_accuracy');
  const locationTime = get('location_time');
  const callTime = get('time');
  const source = get('location_source')?.toLowerCase() ?? null;
  // ETSI names it location_certainty, a percentage; Google's ELS names it location_confidence, a
  // fraction from 0 to 1 (0.6827 is 68.27 %), read as a percentage when it is above 1.
  const certainty = get('location_certainty');
  const fraction = get('location_confidence');
  return {
    transport: 'https',
    deviceNumber: get('device_number'),
    lat,
    lon,
    radiusMetres: accuracy === null ? null : metres(accuracy, 'location_accuracy'),
    time: locationTime ? epochMillis(locationTime, 'location_time') : callTime ? epochMillis(callTime, 'time') : null,
    callStartedAt: callTime ? callStartOf(callTime, locationTime !== null) : null,
    positioningMethod: lat === null ? 'none' : ((source ? HTTPS_SOURCES.get(source) : undefined) ?? 'unknown'),
    confidencePercent: certainty !== null ? percent(certainty, 'location_certainty') : fraction !== null ? fractionAsPercent(fraction, 'location_confidence') : null,
    emergencyNumber: get('emergency_number'),
    imeiLast4: lastFour(get('device_imei')),
    imsiLast4: lastFour(get('device_imsi')),
    networkMcc: get('cell_network_mcc'),
    networkMnc: get('cell_network_mnc'),
  };
}

const SMS_METHODS = new Map<string, PositioningMethod>([
  ['G', 'gps'],
  ['W', 'wifi'],
  ['C', 'cell'],
  ['N', 'none'],
]);

/**
 * The SMS form: `A"ML=1;lt=+55.74317;lg=-4.26881;rd=50;top=20130717141935;lc=90;pm=W;si=…;ei=…;
 * mcc=234;mnc=30;ml=124`. The SMS carries no caller number: the network's originating address is it.
 */
export function parseAmlSms(text: string): AmlRecord {
  const trimmed = text.trim();
  if (!trimmed.startsWith('A"ML=')) throw new AmlFormatError('an AML SMS starts with A"ML=');
  const pairs = new Map<string, string>();
  for (const part of trimmed.split(';')) {
    if (part === '') continue;
    const at = part.indexOf('=');
    if (at <= 0) throw new AmlFormatError(`not a key=value pair: ${part.slice(0, 20)}`);
    pairs.set(part.slice(0, at), part.slice(at + 1));
  }
  if (pairs.get('A"ML') !== '1') throw new AmlFormatError(`unsupported AML SMS version ${pairs.get('A"ML')?.slice(0, 5) ?? ''}`);
  const require = (key: string) => {
    const value = pairs.get(key);
    if (value === undefined || value === '') throw new AmlFormatError(`the AML SMS has no ${key}`);
    return value;
  };
  const method = SMS_METHODS.get(require('pm'));
  if (!method) throw new AmlFormatError(`unknown positioning method pm=${require('pm').slice(0, 5)}`);
  const lat = coordinate(require('lt'), 'lt', 90);
  const lon = coordinate(require('lg'), 'lg', 180);
  const radius = require('rd');
  const hasFix = method !== 'none';
  const confidence = pairs.get('lc');
  return {
    transport: 'sms',
    deviceNumber: null,
    // With pm=N the handset sends zeroes: that is "no position", not a point in the Gulf of Guinea.
    lat: hasFix ? lat : null,
    lon: hasFix ? lon : null,
    radiusMetres: hasFix && radius !== 'N' ? metres(radius, 'rd') : null,
    time: smsTime(require('top')),
    callStartedAt: null,
    positioningMethod: method,
    confidencePercent: confidence ? percent(confidence, 'lc') : null,
    emergencyNumber: null,
    imeiLast4: lastFour(pairs.get('ei') ?? null),
    imsiLast4: lastFour(pairs.get('si') ?? null),
    networkMcc: pairs.get('mcc') ?? null,
    networkMnc: pairs.get('mnc') ?? null,
  };
}

const METHOD_WORDS: Record<PositioningMethod, string> = { gps: 'GPS', wifi: 'Wi-Fi', cell: 'cell', unknown: 'unknown method', none: 'no fix' };

/** One line for the call handler. */
export function describeAml(record: AmlRecord, deviceNumber: string): string {
  const call = record.emergencyNumber ? `${record.emergencyNumber} call from ` : '';
  const when = record.time ? ` at ${record.time.toISOString().replace('.000Z', 'Z')}` : '';
  if (record.lat === null || record.lon === null) {
    return `AML from ${call}${deviceNumber}: the handset could not determine its location${when}`;
  }
  const radius = record.radiusMetres === null ? '' : `±${record.radiusMetres} m, `;
  return `AML location for ${call}${deviceNumber}: ${record.lat}, ${record.lon} (${radius}${METHOD_WORDS[record.positioningMethod]})${when}`;
}
