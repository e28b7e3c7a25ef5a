import { z } from 'zod';
import { ERROR_STATUS, type ErrorCode } from '../errors.ts';

// What routes answer, declared once so every route states its responses the same way. The route
// helper (routes.ts) adds the error responses; a route declares its successes.

/** A response that is not JSON (a page, a script, a provider's own format), by content type. */
export type ContentResponse = { description: string; content: Record<string, { schema: z.ZodType }> };

/** One declared response: a zod schema of a JSON body, or a body of another content type. */
export type ResponseBody = z.ZodType | ContentResponse;

/** The status codes a route may declare, singly or as a class (`4xx`). */
export type ResponseStatus =
  | 101
  | 200
  | 201
  | 202
  | 204
  | 302
  | 303
  | 400
  | 401
  | 403
  | 404
  | 409
  | 429
  | 503
  | '2xx'
  | '4xx'
  | '5xx';

export type Responses = { [status in ResponseStatus]?: ResponseBody };

/**
 * Every route answers at least one success: a 2xx, a socket switching protocols (101), a form post
 * redirecting to the next page (303, post/redirect/get) or a page that moved (302). The one exception is a page (never
 * JSON) whose only answer is that something is unavailable.
 */
export type WithSuccess =
  | { 101: ResponseBody }
  | { 302: ResponseBody }
  | { 303: ResponseBody }
  | { 200: ResponseBody }
  | { 201: ResponseBody }
  | { 202: ResponseBody }
  | { 204: ResponseBody }
  | { '2xx': ResponseBody }
  // A placeholder page that only ever says something is missing (the console before it is built).
  | { 503: ContentResponse };

/** A JSON value as handlers may build it: arrays and objects they will not change are fine too. */
type Sendable<T> = T extends Date
  ? T
  : T extends readonly (infer Item)[]
    ? readonly Sendable<Item>[]
    : T extends object
      ? { readonly [K in keyof T]: Sendable<T[K]> }
      : T;

/** Type of the default (200) JSON body, or never when the route answers 200 with something else. */
export type JsonBodyOf<R, Status extends ResponseStatus = 200> = R extends { [S in Status]: infer B }
  ? B extends z.ZodType
    ? Sendable<z.output<B>>
    : never
  : never;

// The keys of ERROR_STATUS, in its order: the codes the one error handler can answer with.
const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

/** The body of every refusal and failure the error handler sends (server.ts `sendError`). */
export const errorBody = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES).describe('stable; clients branch on it'),
      message: z.string().describe('for a person to read'),
      fields: z
        .array(
          z.object({
            path: z.string().describe('where the field sits in the request, for programs: e.g. body.rules.0.weight'),
            message: z.string().describe('what is wrong, as the check said it'),
            label: z.string().describe('what a person calls the field: e.g. Weight of rule 1'),
            sentence: z.string().describe('the problem as a sentence naming the field: e.g. Weight of rule 1 must be 100 or less'),
          }),
        )
        .optional()
        .describe('the inputs at fault, when the request was invalid'),
    }),
  })
  .meta({ id: 'Error', description: 'A refusal or failure: a stable code, a message for a person, and the fields at fault' });

/** A 204 (or any answer without a body). */
export const noContent = z.undefined().describe('No content');

/** An HTML page for people (the portal). */
export const htmlPage = (description: string): ContentResponse => ({ description, content: { 'text/html': { schema: z.string() } } });

/** A body of one content type that is not JSON (a script, metrics, a provider's acknowledgement). */
export const textBody = (contentType: string, description: string): ContentResponse => ({
  description,
  content: { [contentType]: { schema: z.string() } },
});

/** A redirect (303 See Other after a form post, 302 Found for a moved page). */
export const redirect = (description: string) => z.undefined().describe(description);

/** How a route's errors are written: the one JSON error body, or an HTML error page. */
export type ErrorFormat = 'json' | 'html';

/** The error responses every route of a format has, under the route's own declarations. */
export function errorResponses(format: ErrorFormat): Responses {
  if (format === 'html') {
    return { '4xx': htmlPage('An error page (the request was refused)'), '5xx': htmlPage('An error page (the service failed or is busy)') };
  }
  return { '4xx': errorBody, '5xx': errorBody };
}
