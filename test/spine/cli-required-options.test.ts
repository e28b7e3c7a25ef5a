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
    // The reason names only what is missing; the usage under it shows every option.
    expect(result.stdout.split('\n')[0]).not.toContain('--force=');
  });

  it('shows-how-staff-create-is-typed-and-its-roles-under-the-missing-options', async () => {
    const result = await cli(['staff', 'create', '--force=demo', '--email=someone@demo.police.uk'], { DATA_DIR: 'memory://' });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('--name= and --role= are required\n\nUsage: bluelamp staff create --force=S --email=E --name=N --role=R');
    expect(result.stdout).toMatch(/R is one of call_handler, .*force_admin/);
    // The line --help prints for the command is the same one.
    expect((await cli(['--help'], {})).stdout).toContain('  bluelamp staff create --force=S --email=E --name=N --role=R\n');
  });

  it('shows-how-force-create-is-typed-under-a-value-it-refuses', async () => {
    const result = await cli(['force', 'create', '--slug=Northshire', '--code=NSP', '--name=Northshire Police'], { DATA_DIR: 'memory://' });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('--slug= must be 2-40 lower-case letters, digits or dashes\n\nUsage: bluelamp force create --slug=S --code=C --name=N');
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
