import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';

let emulator: EmulatorProcess;
beforeAll(async () => {
  emulator = await startEmulatorProcess();
});
afterAll(async () => {
  await emulator?.stop();
});

describe('managed login: authorization code + PKCE', () => {
  it('signs a user in', async () => {
    const { username, sub } = await createUser(emulator, { email: 'Ada@Example.com', password: 'Passw0rd!', groups: ['admins'] });
    const tokens = await signIn(emulator, { email: 'ada@example.com', password: 'Passw0rd!', nonce: 'n-123' });
    const id = decodeJwt(tokens.idToken);
    console.log(decodeProtectedHeader(tokens.idToken), id, decodeJwt(tokens.accessToken), tokens.refreshToken.length);
    expect(id.sub).toBe(sub);
    expect(id['cognito:username']).toBe(username);
  });
});
