import { useEffect } from 'react';
import { api, read } from './api/client.ts';

export const HEARTBEAT_MS = 30_000;

/**
 * While `enabled` (someone who works the queue is signed in), tells the server every 30 s that the
 * console is open: an available person whose console falls silent is given no more work. Not a
 * query: it reads nothing, and nothing shows it.
 */
export function useHeartbeat(enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const beat = () => {
      // A failed beat is not worth an error: the next one follows, and a 401 ends the session anyway.
      read(api.POST('/api/me/heartbeat', { body: {} })).catch(() => undefined);
    };
    beat();
    const timer = window.setInterval(beat, HEARTBEAT_MS);
    return () => window.clearInterval(timer);
  }, [enabled]);
}
