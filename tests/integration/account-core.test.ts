import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readAccount, updateProfile } from '@/lib/account/account';
import { confirmEmailChange, resendEmailCode, startEmailChange } from '@/lib/account/email';
import { confirmTotpSetup, disableTotp, startTotpSetup } from '@/lib/account/mfa';
import { changePassword } from '@/lib/account/password';
import { signOutEverywhere } from '@/lib/account/sign-out-everywhere';
import { createSession, readSession } from '@/lib/auth/session';
import { sharedStore } from '@/lib/store';
import { RedisStore } from '@/lib/store/redis';
import { useEmulatorEnvironment } from '../helpers/app-env';
import { createUser } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { type RedisServer, startRedisServer } from '../helpers/redis-server';
import { MemoryCookieStore } from '../helpers/session-cookie';
import { mailedCodes, refreshOutcome, signInForAccount, type UserTokens } from '../helpers/user-tokens';

/**
 * /account's server side (lib/account) against a real emulator, with the person's access token
 * as the app holds it in their session, and the shared store in a real redis-server read by a
 * second client (another app instance): Cognito's answers become the stable codes people see,
 * the email waits for its code, two-step verification turns on with a code from the secret
 * shown, and signing out everywhere ends every session of the person on every instance.
 */

let emulator: EmulatorProcess;
let redis: RedisServer;
let otherInstance: RedisStore;
const PASSWORD = 'Passw0rd!x';

beforeAll(async () => {
  [emulator, redis] = await Promise.all([startEmulatorProcess(), startRedisServer()]);
  useEmulatorEnvironment(emulator, { SESSION_STORE_URL: redis.url });
  otherInstance = new RedisStore(redis.url);
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation(() => {});
});

afterAll(async () => {
  vi.restoreAllMocks();
  await otherInstance?.close();
  await sharedStore().close();
  await Promise.all([emulator?.stop(), redis?.close()]);
});

function claimsOf(idToken: string): { sub: string; email?: string } {
  return JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString()) as { sub: string; email?: string };
}

/** A browser's session for freshly signed-in tokens (what /auth/callback makes). */
async function sessionFor(tokens: UserTokens) {
  const cookies = new MemoryCookieStore();
  const session = await createSession(cookies, tokens, claimsOf(tokens.idToken));
  return { cookies, session };
}

let counter = 0;
async function newPerson(label: string) {
  counter += 1;
  const email = `${label}-${counter}@example.com`;
  await createUser(emulator, { email, password: PASSWORD });
  const tokens = await signInForAccount(emulator, { email, password: PASSWORD });
  return { email, tokens, ...(await sessionFor(tokens)) };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'ok',
    (error: { code?: string }) => error.code ?? 'not an AppError',
  );
}

describe('profile and email', () => {
  it('saves the name and reads it back from Cognito', async () => {
    const { session } = await newPerson('name');
    await updateProfile(session, { name: 'Ada Lovelace', givenName: 'Ada', familyName: 'Lovelace' });
    expect(await readAccount(session)).toMatchObject({ name: 'Ada Lovelace', givenName: 'Ada', familyName: 'Lovelace' });
  });

  it('keeps the old email as the sign-in name until the code mailed to the new one is entered', async () => {
    const { email, session } = await newPerson('mail');
    const next = `moved-${counter}@example.com`;
    expect(await startEmailChange(session, next)).toMatchObject({ pendingEmail: next });
    expect(await readAccount(session)).toMatchObject({ email, pendingEmail: next, federatedWith: null });
    await resendEmailCode(session);
    const codes = await mailedCodes(emulator, next);
    expect(codes).toHaveLength(2);
    const latest = codes.at(-1) ?? '';
    const wrong = latest === '000000' ? '111111' : '000000';
    expect(await codeOf(confirmEmailChange(session, wrong))).toBe('code_mismatch');
    await confirmEmailChange(session, latest);
    expect(await readAccount(session)).toMatchObject({ email: next, pendingEmail: null, emailVerified: true });
    await signInForAccount(emulator, { email: next, password: PASSWORD });
  });

  it("answers email_taken for another person's address and invalid_input for the current one", async () => {
    const first = await newPerson('taken');
    const { email: current, session } = await newPerson('taker');
    // Cognito may refuse at once or when the code is entered; either way the person reads email_taken.
    const started = await codeOf(startEmailChange(session, first.email));
    if (started === 'ok') {
      const code = (await mailedCodes(emulator, first.email)).at(-1) ?? '';
      expect(await codeOf(confirmEmailChange(session, code))).toBe('email_taken');
    } else {
      expect(started).toBe('email_taken');
    }
    expect((await readAccount(session)).email).toBe(current);
    expect(await codeOf(startEmailChange(session, current))).toBe('invalid_input');
  });
});

describe('password', () => {
  it('maps a wrong current password and a weak new one, then changes it for the next sign-in', async () => {
    const { email, session } = await newPerson('password');
    expect(await codeOf(changePassword(session, 'Not-the-1', 'Brand-New-9'))).toBe('wrong_password');
    expect(await codeOf(changePassword(session, PASSWORD, 'weak'))).toBe('weak_password');
    await changePassword(session, PASSWORD, 'Brand-New-9');
    await signInForAccount(emulator, { email, password: 'Brand-New-9' });
  });
});

describe('two-step verification', () => {
  it('turns on with a code from the secret shown, and off only after a recent sign-in', async () => {
    const { session } = await newPerson('totp');
    const setup = await startTotpSetup(session, 'totp@example.com');
    expect(setup.uri).toContain('issuer=Cubby');
    expect(setup.qrSvg).toContain('<svg');
    const app = new TOTP({ secret: Secret.fromBase32(setup.secret.replace(/ /g, '')) });
    const code = app.generate();
    const wrong = code === '000000' ? '111111' : '000000';
    expect(await codeOf(confirmTotpSetup(session, wrong))).toBe('code_mismatch');
    await confirmTotpSetup(session, code);
    expect((await readAccount(session)).totpEnabled).toBe(true);

    expect(await codeOf(disableTotp(session, session.authTime + 60 * 60 * 1000))).toBe('recent_sign_in_required');
    expect((await readAccount(session)).totpEnabled).toBe(true);
    await disableTotp(session, session.authTime + 1000);
    expect((await readAccount(session)).totpEnabled).toBe(false);
  });
});

describe('sign out everywhere', () => {
  it("ends every session of the person on every instance, revokes Cognito's tokens, and leaves others signed in", async () => {
    const laptop = await newPerson('everywhere');
    const phoneTokens = await signInForAccount(emulator, { email: laptop.email, password: PASSWORD });
    const phone = await sessionFor(phoneTokens);
    const someoneElse = await newPerson('bystander');

    await signOutEverywhere(laptop.session);

    expect(await readSession(laptop.cookies)).toBeNull();
    expect(await readSession(new MemoryCookieStore(phone.cookies.getAll()), { revocations: otherInstance })).toBeNull();
    expect(await readSession(someoneElse.cookies, { revocations: otherInstance })).not.toBeNull();
    expect(await refreshOutcome(emulator, phoneTokens.refreshToken)).toBe('invalid_grant');
    // The phone's access token is refused by the user pool API too: that session ends as signed out.
    expect(await codeOf(readAccount(phone.session))).toBe('session_ended');

    const again = await sessionFor(await signInForAccount(emulator, { email: laptop.email, password: PASSWORD }));
    expect(await readSession(again.cookies, { revocations: otherInstance })).not.toBeNull();
  });

  it('records a session whose token Cognito refuses as signed out, so its cookie reads signed out', async () => {
    const { cookies, session } = await newPerson('refused');
    const copy = new MemoryCookieStore(cookies.getAll());
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: 2 * 3600 });
    try {
      expect(await codeOf(readAccount(session))).toBe('session_ended');
    } finally {
      await emulator.hook('POST', '/_local/clock', { offsetSeconds: 0 });
    }
    expect(await readSession(copy, { revocations: otherInstance })).toBeNull();
  });
});
