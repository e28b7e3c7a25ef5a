import { isDeepStrictEqual } from 'node:util';
import type { FastifyInstance, FastifySerializerCompiler } from 'fastify';
import { createSerializerCompiler } from 'fastify-type-provider-zod';
import type { z } from 'zod';

type RouteSchema = z.ZodType | { properties: z.ZodType };

/** The first path at which two JSON values differ, e.g. `contacts.0.sla`. */
function firstDifference(sent: unknown, meant: unknown, path: string): string | null {
  if (isDeepStrictEqual(sent, meant)) return null;
  if (typeof sent === 'object' && sent !== null && typeof meant === 'object' && meant !== null) {
    const keys = new Set([...Object.keys(sent), ...Object.keys(meant)]);
    for (const key of keys) {
      const found = firstDifference((sent as Record<string, unknown>)[key], (meant as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
      if (found !== null) return found;
    }
  }
  return path || '(the whole body)';
}

/** The answers remembered as checked, per route and status, and the longest remembered (characters). */
const CHECKED_ANSWERS_LIMIT = 500;
const CHECKED_TEXT_LIMIT = 20_000;

/**
 * Serialises response bodies through their zod schemas (encode, then JSON). A body that does not
 * match is a 500, and an undeclared field is left out. With `isExact`, leaving a field out is a
 * 500 as well, naming the field, so a schema that fell behind its handler cannot hide in tests.
 */
export function createResponseSerializer(options: { isExact: boolean }): FastifySerializerCompiler<RouteSchema> {
  const compile = createSerializerCompiler();
  if (!options.isExact) return compile;
  return (route) => {
    const serialize = compile(route);
    // This route's answers with this status already found equal, by their two texts: the same
    // texts parse to the same values, so comparing them again would find the same.
    const checked = new Set<string>();
    return (data) => {
      const json = serialize(data);
      const meant = JSON.stringify(data);
      // Equal texts parse to equal values: nothing left out or changed.
      if (json === meant) return json;
      const key = `${json}\u0000${meant}`;
      if (checked.has(key)) return json;
      const difference = firstDifference(JSON.parse(json), JSON.parse(meant), '');
      if (difference !== null) {
        throw new Error(`${route.method} ${route.url} ${route.httpStatus}: the response schema leaves out or changes ${difference}`);
      }
      if (key.length <= CHECKED_TEXT_LIMIT && checked.size < CHECKED_ANSWERS_LIMIT) checked.add(key);
      return json;
    };
  };
}

/** With exact checks: a JSON body sent with a status its route does not declare is a 500. */
export function refuseUndeclaredResponses(app: FastifyInstance): void {
  app.addHook('preSerialization', async (request, reply, payload) => {
    const declared = request.routeOptions.schema?.response;
    if (typeof declared !== 'object' || declared === null) return payload;
    const status = String(reply.statusCode);
    if (status in declared || `${status[0]}xx` in declared) return payload;
    throw new Error(`${request.method} ${request.url} answered ${status}, which its route does not declare`);
  });
}
