import type { Logger } from 'pino';
import type { Db } from './db/database.ts';
import type { Clock } from './clock.ts';
import type { RefusedReportSink } from './observability/refused-delivery-reports.ts';

/**
 * What every service function needs: the database and the clock; and where delivery reports
 * refused by the account check are counted and logged (none in a test that does not look).
 */
export type ServiceDeps = { db: Db; clock: Clock; logger: Logger; refusedReports?: RefusedReportSink };
