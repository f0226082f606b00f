import path from 'node:path';
import { AdminListGroupsForUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, idpClient } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { runToExit } from '../helpers/run-to-exit';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'make-admin.ts');

let emulator: EmulatorProcess;
beforeAll(async () => {
  emulator = await startEmulatorProcess();
});
afterAll(async () => emulator?.stop());

function makeAdmin(email: string | undefined, port: string) {
  return runToExit(process.execPath, email === undefined ? [SCRIPT] : [SCRIPT, email], {
    cwd: ROOT,
    env: { ...process.env, EMULATOR_PORT: port },
  });
}

describe('npm run make-admin (the README command that makes a local user an admin)', () => {
  it('puts the user with that email in the admins group', async () => {
    const { username } = await createUser(emulator, { email: 'boss@example.com', password: 'Correct-Horse-9' });
    const { code, output } = await makeAdmin('boss@example.com', new URL(emulator.url).port);
    expect(output).toContain('is now in the admins group');
    expect(code).toBe(0);
    const groups = await idpClient(emulator).send(
      new AdminListGroupsForUserCommand({ UserPoolId: emulator.config.userPoolId, Username: username }),
    );
    expect(groups.Groups?.map((group) => group.GroupName)).toContain('admins');
  });

  it('says so, with exit code 1, for an email nobody signed up with', async () => {
    const { code, output } = await makeAdmin('nobody@example.com', new URL(emulator.url).port);
    expect(code).toBe(1);
    expect(output).toContain('no user with the email nobody@example.com');
  });

  it('says how to start the emulator when none answers, and usage without an email', async () => {
    const down = await makeAdmin('boss@example.com', '1');
    expect(down.code).toBe(1);
    expect(down.output).toContain('Start it with npm run dev first');
    const usage = await makeAdmin(undefined, new URL(emulator.url).port);
    expect(usage.code).toBe(2);
    expect(usage.output).toContain('usage: npm run make-admin');
  });
});
