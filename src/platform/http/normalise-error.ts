import type { FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, ERROR_STATUS, isOutOfRangeValue, isUniqueViolation, type ErrorCode, type FieldIssue } from '../errors.ts';
import { databaseUnavailableReason } from '../db/connection-errors.ts';

// What any thrown thing becomes in our error shape: a request's own fault a 4xx with its reason,
// the database out of reach a 503, anything else a 500 with no detail.

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation_failed',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'validation_failed',
  FST_ERR_CTP_INVALID_JSON_BODY: 'validation_failed',
};


function toFieldIssues(error: FastifyError & { validationContext?: string }): FieldIssue[] {
  const validation = error.validation ?? [];
  return validation.map((issue) => {
    const where = error.validationContext === 'querystring' ? 'query' : (error.validationContext ?? 'body');
    const rest = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
    return { path: rest ? `${where}.${rest}` : where, message: issue.message ?? 'is invalid' };
  });
}

/** Turns any thrown thing into our error shape; unknown errors become a 500 with no detail. */
export function normaliseError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const fields = toFieldIssues(error);
    const summary = fields.map((f) => `${f.path}: ${f.message}`).join('; ');
    // The message people read is written from the fields when the error is sent (sendError).
    return new AppError('validation_failed', summary, { fields });
  }
  const fastifyError = error as Partial<FastifyError>;
  if (typeof fastifyError.code === 'string' && FASTIFY_CODES[fastifyError.code]) {
    const code = FASTIFY_CODES[fastifyError.code] as ErrorCode;
    return new AppError(code, fastifyError.message ?? code, { cause: error });
  }
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = (Object.entries(ERROR_STATUS).find(([, s]) => s === status)?.[0] ?? 'validation_failed') as ErrorCode;
    return new AppError(code, fastifyError.message ?? 'bad request', { cause: error });
  }
  const unavailable = databaseUnavailableReason(error);
  if (unavailable) {
    // Nothing of it committed: PostgreSQL rolls back when its backend ends or a statement fails.
    return new AppError('unavailable', `${unavailable}: ${error instanceof Error ? error.message : 'unknown'}`, {
      cause: error,
      publicMessage: 'The service is briefly unavailable. Please try again in a few moments.',
    });
  }
  if (isUniqueViolation(error)) {
    // Two requests made the same thing at the same moment, and no use case put the refusal in its
    // own words: the later one changed nothing, and is told so instead of "something went wrong".
    const constraint = (error as { constraint?: unknown }).constraint;
    return new AppError('conflict', `unique violation${typeof constraint === 'string' ? ` on ${constraint}` : ''} not handled by its use case`, {
      cause: error,
      publicMessage: 'Someone else made the same change at the same moment, so nothing of yours was saved. Reload the page and try again.',
    });
  }
  if (isOutOfRangeValue(error)) {
    // A number or date larger than the database keeps, which no schema bounded: the statement
    // failed and its transaction rolled back, so the request is refused as invalid, not a 500.
    return new AppError('validation_failed', `value out of range not bounded by its schema: ${error instanceof Error ? error.message : 'unknown'}`, {
      cause: error,
      publicMessage: 'A number or date in the request is larger or smaller than it can be.',
    });
  }
  return new AppError('internal', error instanceof Error ? error.message : 'unknown error', { cause: error });
}
