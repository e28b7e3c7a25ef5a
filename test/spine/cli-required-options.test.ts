import { describe, expect, it } from 'vitest';
import { cli } from '../cli-kit.ts';

// A command run with several of its required options left out names every one of them in one
// refusal, so a newcomer fixes the command once instead of once an option. Refused before any
// database is opened: no settings are needed.
describe('a bluelamp command missing required options', () => {
  it('names-every-missing-option-of-staff-create-in-one-message-and-fails', async () => {
    const result = await cli(['staff', 'create', '--force=demo'], { DATA_DIR: 'memory://' });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('--email=, --name= and --role= are required');
    expect(result.stdout).not.toContain('--force=');
  });

  it('names-the-one-missing-option-of-staff-reset-password', async () => {
    const result = await cli(['staff', 'reset-password', '--email=someone@demo.police.uk'], { DATA_DIR: 'memory://' });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('--force= is required');
  });

  it('names-every-missing-option-of-force-create', async () => {
    const result = await cli(['force', 'create'], { DATA_DIR: 'memory://' });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('--slug=, --code= and --name= are required');
  });
});
