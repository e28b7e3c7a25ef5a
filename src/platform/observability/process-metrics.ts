import { Registry, collectDefaultMetrics } from 'prom-client';

let processRegistry: Registry | undefined;

/**
 * Node.js's own metrics (CPU, memory, event-loop lag, garbage collection), collected once per
 * process: they describe the process, not an app, and what collects them (a garbage-collection
 * observer, an event-loop timer) is never stopped, so collecting them per app kept every closed
 * app, its routes and its database alive for as long as the process ran.
 */
export function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}
