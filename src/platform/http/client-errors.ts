import { STATUS_CODES, maxHeaderSize, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { AppError, type ErrorCode } from '../errors.ts';
import { UNHOOKED_ANSWER_HEADERS } from './security-headers.ts';

// Answers Node's HTTP server gives before Fastify has a request to route (headers too large, a
// request that is not HTTP, one too slow to arrive, an Expect: it cannot meet, an HTTP/1.1 request
// with no Host), written in the product's error shape, `{ error: { code, message } }`, with the
// headers an unhooked answer carries, instead of Node's empty body or Fastify's own JSON.

/** What a client error from Node's parser is answered with: its code and the reason a program reads. */
export function clientErrorAnswer(nodeCode: string | undefined): { code: ErrorCode; message: string } {
  switch (nodeCode) {
    case 'HPE_HEADER_OVERFLOW':
      return { code: 'headers_too_large', message: `The request line and headers are larger than the server accepts (${Math.floor(maxHeaderSize / 1024)} KB in all): send a shorter address, fewer cookies or shorter headers` };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { code: 'request_timeout', message: 'The request did not arrive in time' };
    case 'HPE_INVALID_METHOD':
      return { code: 'validation_failed', message: 'The request method is not one HTTP has' };
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return { code: 'validation_failed', message: 'The Content-Length header is not valid' };
    case 'HPE_INVALID_TRANSFER_ENCODING':
    case 'HPE_INVALID_CHUNK_SIZE':
      return { code: 'validation_failed', message: 'The body is not sent in a valid transfer encoding' };
    default:
      return { code: 'validation_failed', message: 'The request is not valid HTTP' };
  }
}

/** An answer in our error shape: its status, headers (those of an unhooked answer) and body. */
function errorAnswer(code: ErrorCode, message: string): { status: number; headers: Record<string, string>; body: string } {
  const body = JSON.stringify({ error: { code, message } });
  const headers = { ...UNHOOKED_ANSWER_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), connection: 'close' };
  return { status: new AppError(code, message).status, headers, body };
}

/** The raw bytes of an answer in our error shape, for a socket no response object stands for. */
export function rawErrorAnswer(code: ErrorCode, message: string): string {
  const { status, headers, body } = errorAnswer(code, message);
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n${head}\r\n${body}`;
}

/**
 * Fastify's `clientErrorHandler`: a request Node's parser refused, answered in our shape and the
 * connection closed, as Node and Fastify would. A reset connection, or one already gone, is left.
 */
export function answerClientError(log: FastifyBaseLogger, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // Node's own rule: an answer already begun on this connection (a response being written when its
  // next request timed out) cannot be followed by another; the connection is only closed.
  const answering = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (answering?.headersSent) {
    socket.destroy();
    return;
  }
  const { code, message } = clientErrorAnswer(error.code);
  log.info({ code, reason: error.code ?? error.message }, 'request refused before routing');
  if (socket.writable) socket.end(rawErrorAnswer(code, message));
  else socket.destroy();
}

/** How `answerExpectation` writes: Node's response of a request it will not pass on. */
function sendUnhooked(response: ServerResponse, code: ErrorCode, message: string): void {
  const { status, headers, body } = errorAnswer(code, message);
  response.writeHead(status, headers);
  response.end(body);
}

/**
 * Node answers an `Expect:` other than `100-continue` with a bare 417 unless the server listens
 * for it: the same 417, with the reason.
 */
export function answerExpectations(app: FastifyInstance): void {
  app.server.on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => {
    app.log.info({ code: 'expectation_failed', expect: String(request.headers.expect).slice(0, 100) }, 'request refused before routing');
    sendUnhooked(response, 'expectation_failed', 'The server meets no Expect header but 100-continue');
  });
}

/**
 * An HTTP/1.1 request without a Host header (RFC 9112 3.2): Node's own refusal of it is an empty
 * 400, so the server lets it through (`requireHostHeader: false`) and this hook refuses it, with
 * the reason, before anything else runs. HTTP/1.0 has no Host to require.
 */
export function refuseMissingHost(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.raw.httpVersion !== '1.1' || request.headers.host !== undefined) return;
    // Before the hook that sets each face's headers: the strictest, as any unhooked answer has.
    reply.headers(UNHOOKED_ANSWER_HEADERS);
    throw new AppError('validation_failed', 'HTTP/1.1 request without a Host header', {
      publicMessage: 'An HTTP/1.1 request must have a Host header',
      fields: [{ path: 'headers.host', message: 'is required in HTTP/1.1' }],
    });
  });
}
