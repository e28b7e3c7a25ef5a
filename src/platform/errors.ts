/** Stable error codes; each maps to one HTTP status in the error handler. */
export const ERROR_STATUS = {
  /** The request is malformed or a field is invalid. */
  validation_failed: 400,
  /** No valid session. */
  unauthenticated: 401,
  /** Signed in, but the role lacks the permission. */
  forbidden: 403,
  /** Missing or wrong CSRF token on a state-changing request. */
  csrf_failed: 403,
  /** The session's member of staff must change their one-time password before doing anything else. */
  password_change_required: 403,
  /** The account has been deactivated by a force admin; it cannot sign in. */
  account_deactivated: 403,
  /** The thing does not exist, or belongs to another force (we never say which). */
  not_found: 404,
  /** The request conflicts with the current state (already closed, case already exists). */
  conflict: 409,
  /** The request did not arrive in time (answered by the HTTP server before any route). */
  request_timeout: 408,
  /** The body is larger than allowed. */
  payload_too_large: 413,
  /** The content type is not accepted here. */
  unsupported_media_type: 415,
  /** An Expect header the server cannot meet (anything but 100-continue). */
  expectation_failed: 417,
  /** The request line and headers together are larger than the HTTP server reads. */
  headers_too_large: 431,
  /** An outbound URL is not one the server may reach (scheme, or an address inside our network). */
  outbound_refused: 400,
  /** Too many attempts; try again later. */
  rate_limited: 429,
  /** Something we did not expect; details are logged, never returned. */
  internal: 500,
  /** A dependency (database) is not reachable. */
  unavailable: 503,
  /** Shed under load before anything was done: nothing stored, try again after `Retry-After`. */
  overloaded: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** A bad input: where it sits in the request, what is wrong, and (when its key says it badly) what people call it. */
export type FieldIssue = { path: string; message: string; label?: string };

/**
 * The one error family. `message` is for logs; `publicMessage` is what a user may see;
 * `fields` names the bad inputs.
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: { publicMessage?: string; fields?: FieldIssue[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
  get publicMessage(): string {
    return this.options.publicMessage ?? (this.status >= 500 ? 'Something went wrong' : this.message);
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const conflict = (message: string) => new AppError('conflict', message);
export const invalid = (path: string, message: string) =>
  new AppError('validation_failed', `${path}: ${message}`, { fields: [{ path, message }] });

/**
 * Whether a database error is a unique violation (SQLSTATE 23505): a rule the database holds for
 * two requests at once, which the use case reports as a conflict in its own words.
 */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';
}

/**
 * Whether a database error is a value out of the range of its column (SQLSTATE 22003, a number
 * too large for an `integer`; 22008, a date past the calendar's end): a request's value that its
 * schema let through, which changed nothing since its statement failed.
 */
export function isOutOfRangeValue(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error.code === '22003' || error.code === '22008');
}

/**
 * Whether a database error is row-level security refusing a write (SQLSTATE 42501 naming the
 * policy): a force's statement met a row of another force, which the use case reports as a conflict.
 */
export function isRowSecurityRefusal(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error) || error.code !== '42501') return false;
  return 'message' in error && typeof error.message === 'string' && error.message.includes('row-level security');
}

/**
 * A move a record's state machine refuses: a 409 `conflict` whose message says what to do
 * instead, with a stable `refusal` for code and tests. Each machine names its own subclass.
 */
export class MoveRefused<R extends string> extends AppError {
  constructor(
    readonly refusal: R,
    message: string,
  ) {
    super('conflict', message);
  }
}
