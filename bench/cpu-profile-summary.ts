// Summarises a `node --cpu-prof` profile: where the samples of a time window went, by function
// (self time) and by area (the package or source folder of the function that was running), and
// the inclusive share of chosen functions. Usage:
//   tsx bench/cpu-profile-summary.ts <file.cpuprofile> [--from <s>] [--to <s>] [--top <n>] [--inclusive name,name]
// --from/--to are seconds after the profile started; by default the whole profile.
import { readFileSync } from 'node:fs';

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

const args = process.argv.slice(2);
const file = args[0];
if (!file) throw new Error('usage: cpu-profile-summary <file.cpuprofile> [--from s] [--to s] [--top n] [--inclusive a,b]');
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const from = Number(option('from') ?? 0) * 1e6;
const to = Number(option('to') ?? Infinity) * 1e6;
const top = Number(option('top') ?? 30);
const inclusiveNames = (option('inclusive') ?? '').split(',').filter(Boolean);
const timeline = Number(option('timeline') ?? 0) * 1e6;
// --callers <area>: for samples running in that area, the nearest of our own functions (src/) above them.
const callersOf = option('callers');
const callers = new Map<string, number>();
const buckets = new Map<number, Map<string, number>>();

const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

function area(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] ?? url;
  const src = /\/(src|bench|test)\/(.*)\/[^/]+$/.exec(url);
  if (src) return `${src[1]}/${(src[2] ?? '').split('/').slice(0, 2).join('/')}`;
  if (url.startsWith('node:')) return url.split('/')[0] ?? url;
  return url;
}

const self = new Map<string, number>();
const areas = new Map<string, number>();
const inclusive = new Map<string, number>();
let total = 0;
let idle = 0;
let t = 0;
profile.samples.forEach((sample, i) => {
  t += profile.timeDeltas[i] ?? 0;
  if (t < from || t > to) return;
  const node = byId.get(sample);
  if (!node) return;
  const { functionName, url, lineNumber } = node.callFrame;
  if (functionName === '(idle)') {
    idle += 1;
    return;
  }
  total += 1;
  const key = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(src|bench|test)\//, '$1/')}:${lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + 1);
  const a = area(url, functionName);
  areas.set(a, (areas.get(a) ?? 0) + 1);
  if (callersOf && a === callersOf) {
    let caller = '(none of ours)';
    for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)?.callFrame;
      if (frame && /\/src\//.test(frame.url)) {
        caller = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\/src\//, 'src/')}:${frame.lineNumber + 1}`;
        break;
      }
    }
    callers.set(caller, (callers.get(caller) ?? 0) + 1);
  }
  if (timeline > 0) {
    const bucket = Math.floor(t / timeline);
    const inBucket = buckets.get(bucket) ?? new Map<string, number>();
    inBucket.set(a, (inBucket.get(a) ?? 0) + 1);
    buckets.set(bucket, inBucket);
  }
  if (inclusiveNames.length > 0) {
    const seen = new Set<string>();
    for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
      const name = byId.get(id)?.callFrame.functionName ?? '';
      if (inclusiveNames.includes(name) && !seen.has(name)) {
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + 1);
      }
    }
  }
});

const pct = (n: number) => `${((100 * n) / total).toFixed(1).padStart(5)}%`;
const print = (title: string, map: Map<string, number>, n: number) => {
  process.stdout.write(`\n${title}\n`);
  for (const [key, count] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) process.stdout.write(`${pct(count)}  ${key}\n`);
};
process.stdout.write(`busy samples: ${total}, idle: ${idle} (${((100 * total) / (total + idle)).toFixed(0)}% busy)\n`);
print('by area (self time)', areas, top);
print('by function (self time)', self, top);
if (inclusiveNames.length > 0) print('inclusive', inclusive, inclusiveNames.length);
if (callersOf) print(`callers of ${callersOf} (share of all busy samples)`, callers, top);
if (timeline > 0) {
  process.stdout.write('\ntimeline (busy samples per bucket, top areas)\n');
  for (const [bucket, inBucket] of [...buckets].sort((a, b) => a[0] - b[0])) {
    const busy = [...inBucket.values()].reduce((n, c) => n + c, 0);
    const tops = [...inBucket].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, c]) => `${k} ${Math.round((100 * c) / busy)}%`);
    process.stdout.write(`${((bucket * timeline) / 1e6).toFixed(0).padStart(4)} s  ${String(busy).padStart(6)}  ${tops.join(', ')}\n`);
  }
}
