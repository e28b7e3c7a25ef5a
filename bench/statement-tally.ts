// With BENCH_STATEMENTS=1, counts the statements the process sends and the time each shape takes
// (PGlite: the engine runs in this thread, so the time is close to its CPU; PostgreSQL: the round
// trip). For finding where a report's statements go; off by default, as wrapping costs a little.
import { watchEngineCalls } from '../test/engine-calls.ts';

type Tally = { count: number; ms: number };
const tally = new Map<string, Tally>();
let enabled = false;

function shape(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\$\d+(, \$\d+)*/g, '$n').replace(/\(\$n\)(, \(\$n\))*/g, '($n)…').slice(0, Number(process.env.BENCH_SHAPE ?? 110));
}

function add(text: string, ms: number): void {
  const key = shape(text);
  const entry = tally.get(key) ?? { count: 0, ms: 0 };
  entry.count += 1;
  entry.ms += ms;
  tally.set(key, entry);
}

/** Starts counting (once per process). */
export function installStatementTally(): boolean {
  if (process.env.BENCH_STATEMENTS !== '1' || enabled) return enabled;
  enabled = true;
  watchEngineCalls((text, call) => {
    const t0 = performance.now();
    const result = call();
    if (result instanceof Promise) return result.finally(() => add(text, performance.now() - t0));
    return result;
  });
  return true;
}

export function resetStatementTally(): void {
  tally.clear();
}

/** The statements since the last reset, per `per` (reports), most time first. */
export function statementTallyLines(per: number, top = 40): string[] {
  if (!enabled) return [];
  const rows = [...tally].sort((a, b) => b[1].ms - a[1].ms);
  const count = rows.reduce((n, [, t]) => n + t.count, 0);
  const ms = rows.reduce((n, [, t]) => n + t.ms, 0);
  const lines = [`statements: ${(count / per).toFixed(2)} per report, ${(ms / per).toFixed(2)} ms per report in them`];
  for (const [key, t] of rows.slice(0, top)) lines.push(`${((100 * t.ms) / ms).toFixed(1).padStart(5)}%  ${(t.count / per).toFixed(2).padStart(6)}/report  ${key}`);
  return lines;
}
