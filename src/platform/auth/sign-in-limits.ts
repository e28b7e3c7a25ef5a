import { createHmac, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { AttemptLimiter, type AttemptLimiterDeps } from '../http/attempt-limiter.ts';

/** How long a sign-in limit lasts once reached, and the window failures are counted in. */
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
/** Failed sign-ins an address may make in a window (an office behind one NAT shares it). */
export const FAILURES_PER_ADDRESS = 30;
/** Failed sign-ins to one account from browsers it has not signed in on, per window. */
export const FAILURES_PER_ACCOUNT = 10;
/** Failed sign-ins from one trusted device, per window. */
export const FAILURES_PER_DEVICE = 10;
/** How long a browser stays trusted for an account after it last signed in there. */
export const DEVICE_COOKIE_MS = 90 * 24 * 60 * 60 * 1000;

const DEVICE_COOKIE_PREFIX = 'bl_device_';
/** The allowance every client the account has not signed in on shares. */
const ACCOUNT_SCOPE = { scope: 'login.account', max: FAILURES_PER_ACCOUNT, windowMs: SIGN_IN_WINDOW_MS } as const;
const DEVICE_COOKIE_PATH = '/api/auth/login';
const NONCE_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** What `begin` decided; `succeeded` needs it back to give the attempts back. */
export type SignInTicket =
  | { kind: 'device'; account: string; nonce: string }
  | { kind: 'untrusted'; account: string; address: string };

/**
 * Sign-in limits after OWASP's "device cookies": a browser that has signed in to an account holds
 * a signed cookie for it, and its attempts count against that device alone; every other client
 * shares a per-account allowance, so guessing stops at 10 failures but the owner, on a browser
 * they have used before, still gets in. Failures (never successes) also count per address.
 * Counters live in the database, so every process shares them.
 */
export class SignInLimits {
  private readonly perAddress: AttemptLimiter;
  private readonly perAccount: AttemptLimiter;
  private readonly perDevice: AttemptLimiter;

  constructor(
    deps: AttemptLimiterDeps,
    private readonly keySecret: string,
    private readonly cookieSecure: boolean,
  ) {
    this.perAddress = new AttemptLimiter(deps, keySecret, { scope: 'login.address', max: FAILURES_PER_ADDRESS, windowMs: SIGN_IN_WINDOW_MS });
    this.perAccount = new AttemptLimiter(deps, keySecret, ACCOUNT_SCOPE);
    this.perDevice = new AttemptLimiter(deps, keySecret, { scope: 'login.device', max: FAILURES_PER_DEVICE, windowMs: SIGN_IN_WINDOW_MS });
  }

  /**
   * Spends one attempt before the password is checked, or throws `rate_limited`. Spending first
   * (and giving back on success) means parallel guesses cannot overrun the allowance.
   */
  async begin(request: FastifyRequest, email: string): Promise<SignInTicket> {
    const account = email.trim().toLowerCase();
    const nonce = this.readDeviceNonce(request, account);
    // A device that has used up its own allowance is treated like any other client.
    if (nonce && !(await this.perDevice.isExhausted(nonce))) {
      if (!(await this.perDevice.take(nonce))) throw tooManyAttempts();
      return { kind: 'device', account, nonce };
    }
    if (!(await this.perAddress.take(request.ip))) throw tooManyAttempts();
    if (!(await this.perAccount.take(account))) {
      // Refused before any password was tried: not a failure of this address.
      await this.perAddress.refund(request.ip);
      throw tooManyAttempts();
    }
    return { kind: 'untrusted', account, address: request.ip };
  }

  /** After a right password: the attempt is given back, and this browser is trusted for the account. */
  async succeeded(ticket: SignInTicket, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (ticket.kind === 'device') {
      await this.perDevice.reset(ticket.nonce);
    } else {
      await this.perAddress.refund(ticket.address);
      await this.perAccount.refund(ticket.account);
    }
    const nonce = ticket.kind === 'device' ? ticket.nonce : randomBytes(16).toString('base64url');
    const tag = this.accountTag(ticket.account);
    reply.setCookie(`${DEVICE_COOKIE_PREFIX}${tag}`, `${tag}.${nonce}`, {
      signed: true,
      httpOnly: true,
      sameSite: 'strict',
      secure: this.cookieSecure || request.protocol === 'https',
      path: DEVICE_COOKIE_PATH,
      maxAge: DEVICE_COOKIE_MS / 1000,
    });
  }

  /** A short digest of the account, so the cookie neither names the email nor fits another account. */
  private accountTag(account: string): string {
    return createHmac('sha256', this.keySecret).update(`device-account\u0000${account}`).digest('hex').slice(0, 24);
  }

  /** The device nonce of a valid cookie for this account, or null. */
  private readDeviceNonce(request: FastifyRequest, account: string): string | null {
    const tag = this.accountTag(account);
    const raw = request.cookies[`${DEVICE_COOKIE_PREFIX}${tag}`];
    if (!raw) return null;
    const unsigned = request.unsignCookie(raw);
    if (!unsigned.valid || unsigned.value === null) return null;
    const [cookieTag, nonce] = unsigned.value.split('.');
    if (cookieTag !== tag || nonce === undefined || !NONCE_PATTERN.test(nonce)) return null;
    return nonce;
  }
}

/**
 * Forgets the failures counted against an account from browsers it has not signed in on. A password
 * reset does this: the guesses were at the old password, and the person, given a one-time password
 * (often because they were locked out), may be at a browser they have never used. Guessing the new
 * one starts a fresh allowance of 10. The address limits are untouched.
 */
export async function forgetAccountFailures(deps: AttemptLimiterDeps, keySecret: string, email: string): Promise<void> {
  await new AttemptLimiter(deps, keySecret, ACCOUNT_SCOPE).reset(email.trim().toLowerCase());
}

function tooManyAttempts(): AppError {
  return new AppError('rate_limited', 'too many sign-in attempts', {
    publicMessage: 'Too many sign-in attempts. Wait 15 minutes and try again.',
  });
}
