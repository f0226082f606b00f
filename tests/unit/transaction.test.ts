import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createTransaction,
  listTransactionCookieNames,
  MAX_TRANSACTIONS,
  takeTransaction,
  transactionCookieName,
  transactionsToEvict,
} from '@/lib/auth/transaction';
import { MemoryCookieStore, testSessionConfig } from '../helpers/session-cookie';

const config = testSessionConfig();
const MINUTE = 60_000;

beforeEach(() => {
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function login(returnTo = '/files') {
  return {
    verifier: randomBytes(32).toString('base64url'),
    state: randomBytes(32).toString('base64url'),
    nonce: randomBytes(32).toString('base64url'),
    returnTo,
  };
}

describe('login transactions', () => {
  it('stores one sealed cookie per state and gives it back once', async () => {
    const store = new MemoryCookieStore();
    const input = login('/profile?tab=1');
    const t0 = Date.now();
    await createTransaction(store, input, { config, now: t0 });
    const name = `__Host-cubby-txn-${input.state}`;
    expect(store.writes).toEqual([
      {
        name,
        value: expect.stringMatching(/^Fe26\.2\*/),
        options: { httpOnly: true, secure: true, sameSite: 'lax', path: '/', maxAge: 600 },
      },
    ]);
    expect(store.get(name)?.value).not.toContain(input.verifier);
    expect(await takeTransaction(store, input.state, { config, now: t0 + MINUTE })).toEqual({ ...input, createdAt: t0 });
    expect(store.get(name)).toBeUndefined();
    expect(store.writes.at(-1)).toMatchObject({ name, value: '', options: { maxAge: 0, secure: true, path: '/' } });
    expect(await takeTransaction(store, input.state, { config, now: t0 + MINUTE })).toBeNull();
  });

  it('lets two tabs sign in at once', async () => {
    const store = new MemoryCookieStore();
    const [first, second] = [login('/files'), login('/profile')];
    await createTransaction(store, first, { config });
    await createTransaction(store, second, { config });
    expect((await takeTransaction(store, second.state, { config }))?.returnTo).toBe('/profile');
    expect((await takeTransaction(store, first.state, { config }))?.returnTo).toBe('/files');
  });

  it(`keeps at most ${MAX_TRANSACTIONS}, dropping the oldest first`, async () => {
    const store = new MemoryCookieStore([{ name: 'unrelated', value: 'keep me' }]);
    const t0 = Date.now();
    const logins = [login(), login(), login(), login(), login()];
    for (const [index, input] of logins.entries()) await createTransaction(store, input, { config, now: t0 + index * 1000 });
    expect(listTransactionCookieNames(store, config).sort()).toEqual(
      logins
        .slice(2)
        .map((input) => `__Host-cubby-txn-${input.state}`)
        .sort(),
    );
    expect(store.get('unrelated')?.value).toBe('keep me');
    expect(await takeTransaction(store, logins[0]?.state ?? '', { config, now: t0 + 5000 })).toBeNull();
    expect(await takeTransaction(store, logins[1]?.state ?? '', { config, now: t0 + 5000 })).toBeNull();
    for (const input of logins.slice(2))
      expect(await takeTransaction(store, input.state, { config, now: t0 + 5000 })).not.toBeNull();
  });

  it('drops unreadable transaction cookies when starting a new one', async () => {
    const junk = `__Host-cubby-txn-${'j'.repeat(43)}`;
    const store = new MemoryCookieStore([{ name: junk, value: 'not-a-seal' }]);
    await createTransaction(store, login(), { config });
    expect(store.get(junk)).toBeUndefined();
    expect(listTransactionCookieNames(store, config)).toHaveLength(1);
  });

  it('expires after 10 minutes', async () => {
    const store = new MemoryCookieStore();
    const [early, late] = [login(), login()];
    const t0 = Date.now();
    await createTransaction(store, early, { config, now: t0 });
    await createTransaction(store, late, { config, now: t0 });
    expect(await takeTransaction(store, early.state, { config, now: t0 + 10 * MINUTE - 1 })).not.toBeNull();
    expect(await takeTransaction(store, late.state, { config, now: t0 + 10 * MINUTE })).toBeNull();
  });

  it('expires by the seal too, whatever the caller says the time is', async () => {
    const start = Date.now();
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    const store = new MemoryCookieStore();
    const input = login();
    await createTransaction(store, input, { config, now: start });
    vi.setSystemTime(start + 12 * MINUTE);
    expect(await takeTransaction(store, input.state, { config, now: start + MINUTE })).toBeNull();
  });

  it.each([
    ['a changed character', (value: string) => `${value.slice(0, 60)}${value[60] === 'a' ? 'b' : 'a'}${value.slice(61)}`],
    ['a truncated seal', (value: string) => value.slice(0, -5)],
    ['garbage', () => 'Fe26.2*1*garbage'],
  ])('reads %s as no transaction, and deletes it', async (_name, tamper) => {
    const store = new MemoryCookieStore();
    const input = login();
    await createTransaction(store, input, { config });
    const name = `__Host-cubby-txn-${input.state}`;
    store.set(name, tamper(store.get(name)?.value ?? ''));
    expect(await takeTransaction(store, input.state, { config })).toBeNull();
    expect(store.get(name)).toBeUndefined();
  });

  it('refuses a genuine transaction moved under another state', async () => {
    const store = new MemoryCookieStore();
    const [victim, attacker] = [login(), login()];
    await createTransaction(store, victim, { config });
    const moved = new MemoryCookieStore([
      { name: `__Host-cubby-txn-${attacker.state}`, value: store.get(`__Host-cubby-txn-${victim.state}`)?.value ?? '' },
    ]);
    expect(await takeTransaction(moved, attacker.state, { config })).toBeNull();
  });

  it('refuses a transaction sealed with an unknown secret', async () => {
    const store = new MemoryCookieStore();
    const input = login();
    await createTransaction(store, input, {
      config: testSessionConfig({ secrets: ['another-secret-0123456789abcdefghijklmn'] }),
    });
    expect(await takeTransaction(store, input.state, { config })).toBeNull();
  });

  it.each(['', 'short', '../../etc', 'a;b=c', `${'a'.repeat(129)}`, 'state with spaces', 'é'.repeat(43)])(
    'ignores a hostile state %j without touching cookies',
    async (state) => {
      const store = new MemoryCookieStore();
      expect(transactionCookieName(state, config)).toBeNull();
      expect(await takeTransaction(store, state, { config })).toBeNull();
      expect(store.writes).toEqual([]);
    },
  );

  it('uses plain names without Secure over http', async () => {
    const local = testSessionConfig({ appUrl: 'http://localhost:3000' });
    const store = new MemoryCookieStore();
    const input = login();
    await createTransaction(store, input, { config: local });
    expect(store.writes[0]).toMatchObject({ name: `cubby-txn-${input.state}`, options: { secure: false, path: '/' } });
    expect(await takeTransaction(store, input.state, { config: local })).not.toBeNull();
  });

  it('refuses a returnTo that is not a path', async () => {
    await expect(createTransaction(new MemoryCookieStore(), login('https://evil.example'), { config })).rejects.toThrow();
  });
});

describe('transactionsToEvict', () => {
  it.each([
    ['room left', [{ name: 'a', createdAt: 1 }], []],
    [
      'full: oldest goes',
      [
        { name: 'b', createdAt: 2 },
        { name: 'a', createdAt: 1 },
        { name: 'c', createdAt: 3 },
      ],
      ['a'],
    ],
    [
      'over full',
      [
        { name: 'a', createdAt: 1 },
        { name: 'b', createdAt: 2 },
        { name: 'c', createdAt: 3 },
        { name: 'd', createdAt: 4 },
      ],
      ['a', 'b'],
    ],
    [
      'unreadable first',
      [
        { name: 'x', createdAt: null },
        { name: 'a', createdAt: 1 },
      ],
      ['x'],
    ],
    [
      'unreadable and full',
      [
        { name: 'x', createdAt: null },
        { name: 'a', createdAt: 1 },
        { name: 'b', createdAt: 2 },
        { name: 'c', createdAt: 3 },
      ],
      ['x', 'a'],
    ],
    ['none', [], []],
  ])('%s', (_name, existing, evicted) => {
    expect(transactionsToEvict(existing)).toEqual(evicted);
  });
});
