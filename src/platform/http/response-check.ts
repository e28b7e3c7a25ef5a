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
    return (data) => {
      const json = serialize(data);
      const difference = firstDifference(JSON.parse(json), JSON.parse(JSON.stringify(data)), '');
      if (difference !== null) {
        throw new Error(`${route.method} ${route.url} ${route.httpStatus}: the response schema leaves out or changes ${difference}`);
      }
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
