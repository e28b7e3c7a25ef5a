import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registerDiskGauges } from './disk-metrics.ts';

describe('disk space gauges', () => {
  it('report the free space and size of each folder, leaving out one that cannot be read', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'bluelamp-disk-metrics-'));
    try {
      const registry = new Registry();
      registerDiskGauges(registry, { data: folder, audit_checkpoints: path.join(folder, 'not-made-yet') });
      const values = async (name: string) => (await registry.getSingleMetric(name)?.get())?.values ?? [];
      const free = await values('bluelamp_disk_free_bytes');
      const size = await values('bluelamp_disk_size_bytes');
      expect(free.map((v) => v.labels)).toEqual([{ folder: 'data' }]);
      expect(size.map((v) => v.labels)).toEqual([{ folder: 'data' }]);
      expect(free[0]?.value).toBeGreaterThan(0);
      expect(free[0]?.value).toBeLessThanOrEqual(size[0]?.value ?? 0);
      expect(await registry.metrics()).toMatch(/^bluelamp_disk_free_bytes\{folder="data"\} \d+$/m);

      // Once the folder is gone, it is left out rather than reported stale.
      rmSync(folder, { recursive: true, force: true });
      expect(await values('bluelamp_disk_free_bytes')).toEqual([]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
