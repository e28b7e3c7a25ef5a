// Benchmarks print figures; they never pass or fail. Usage: npm run bench -- <name>
import { intakeBenchmark } from './intake.bench.ts';
import { channelsBenchmark } from './channels.bench.ts';

const BENCHMARKS: Record<string, () => Promise<void>> = {
  intake: intakeBenchmark,
  channels: channelsBenchmark,
  triage: () => import('./triage.bench.ts').then((m) => m.triageBenchmark()),
  'triage-quality': () => import('./triage-quality.bench.ts').then((m) => m.triageQualityBenchmark()),
  routing: () => import('./routing.bench.ts').then((m) => m.routingBenchmark()),
  surge: () => import('./surge.bench.ts').then((m) => m.surgeBenchmark()),
  dispatch: () => import('./dispatch.bench.ts').then((m) => m.dispatchBenchmark()),
  'job-lanes': () => import('./job-lanes.bench.ts').then((m) => m.jobLanesBenchmark()),
  journeys: () => import('./journeys.bench.ts').then((m) => m.journeysBenchmark()),
  outbox: () => import('./outbox.bench.ts').then((m) => m.outboxBenchmark()),
  soak: () => import('./soak.bench.ts').then((m) => m.soakBenchmark()),
  'clock-checks': () => import('./clock-checks.bench.ts').then((m) => m.clockChecksBenchmark()),
  'pglite-statements': () => import('./pglite-statements.bench.ts').then((m) => m.pgliteStatementsBenchmark()),
  startup: () => import('./startup.bench.ts').then((m) => m.startupBenchmark()),
};

const name = process.argv[2];
const run = name ? BENCHMARKS[name] : undefined;
if (!run) {
  process.stderr.write(`Usage: npm run bench -- <${Object.keys(BENCHMARKS).join('|')}>\n`);
  process.exit(2);
}
await run();
process.exit(0);
