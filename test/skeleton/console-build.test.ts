import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import consoleConfig from '../../web/console/vite.config.ts';

// `npm start` builds the console first; a second start while a server runs must not take the
// console away from the running one (it used to empty web/console/dist before being refused).
describe('the console build', () => {
  it('leaves-a-built-console-untouched-when-its-sources-have-not-changed', { timeout: 120_000 }, () => {
    const dist = path.resolve('web/console/dist');
    const build = () => spawnSync(process.execPath, ['scripts/build-console.js'], { encoding: 'utf8' });
    expect(build().status).toBe(0);
    const before = statSync(path.join(dist, 'index.html'));
    const again = build();
    expect(again.status, again.stderr).toBe(0);
    const after = statSync(path.join(dist, 'index.html'));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
  });

  // Rolldown prints a yellow [PLUGIN_TIMINGS] warning when plugins took a share of a build it
  // thinks worth a look: on a busy machine, most builds. Whether it prints depends on how long the
  // build took, so the setting that turns it off is what is checked, not one build's output.
  it('turns-off-the-timing-report-a-first-npm-start-reads-as-a-failure', () => {
    expect(consoleConfig.build?.rolldownOptions?.checks).toMatchObject({ bundlerTimings: false });
  });
});
