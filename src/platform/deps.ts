import type { Logger } from 'pino';
import type { Db } from './db/database.ts';
import type { Clock } from './clock.ts';

/** What every service function needs: the database and the clock. */
export type ServiceDeps = { db: Db; clock: Clock; logger: Logger };
