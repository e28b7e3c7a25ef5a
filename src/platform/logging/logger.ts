import pino, { type DestinationStream, type Logger } from 'pino';
import { redactUrl } from './redact-url.ts';

/**
 * The process's logger: JSON lines at `level`, to standard output unless given somewhere else.
 * Sessions, credentials and passwords are removed; requests are logged by method, path and
 * address, with the query string's values masked unless known to be plain (redact-url.ts): a
 * search for someone's phone number must not leave it in the logs.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', '*.password', 'err.detail', 'err.cause.detail'], remove: true },
    serializers: {
      req: (request: { method?: string; url?: string; ip?: string }) => ({
        method: request.method,
        url: redactUrl(request.url ?? ''),
        remoteAddress: request.ip,
      }),
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
