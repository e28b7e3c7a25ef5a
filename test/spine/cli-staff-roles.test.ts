import { describe, expect, it } from 'vitest';
import { cliHere } from '../cli-kit.ts';
import { STAFF_ROLES } from '../../src/platform/auth/permissions.ts';

// `staff create --role=` takes one of the staff roles, and a newcomer should learn which from
// `bluelamp --help` and from the refusal of a role that is not one, without reading the source.
// Both run in this process: neither opens a database.

/** The words of --help from the staff create line up to the next command's line. */
function staffCreateHelp(help: string): string {
  const lines = help.split('\n');
  const start = lines.findIndex((line) => line.startsWith('  bluelamp staff create '));
  const end = lines.findIndex((line, i) => i > start && line.startsWith('  bluelamp '));
  expect(start).toBeGreaterThanOrEqual(0);
  return lines.slice(start, end).join(' ').replace(/\s+/g, ' ');
}

describe('the staff roles a bluelamp command accepts', () => {
  it('lists-every-staff-role-under-staff-create-in-help', async () => {
    const result = await cliHere(['--help'], {});
    expect(result.code).toBe(0);
    expect(staffCreateHelp(result.stdout)).toContain(`R is one of ${STAFF_ROLES.join(', ')}`);
  });

  it('refuses-an-unknown-role-naming-every-role-it-accepts', async () => {
    const result = await cliHere(['staff', 'create', '--force=demo', '--email=new.starter@demo.police.uk', '--name=New Starter', '--role=chief_constable'], {});
    expect(result.code).toBe(2);
    expect(result.stdout.split('\n')[0]).toBe(`--role= must be one of ${STAFF_ROLES.join(', ')}`);
    expect(result.stdout).not.toContain('Created');
  });
});
