import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSession, readSession } from '@/lib/auth/session';
import { realistic } from '../fixtures/tokens';
import { MemoryCookieStore, testSessionConfig } from '../helpers/session-cookie';

/**
 * A seal this process opened is reused for a minute (the proxy and the action of one request, and
 * a person's next requests, present the same bytes): faster, and never more permissive.
 */

const DAY = 86_400_000;

beforeEach(() => {
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

describe('reusing an opened seal', () => {
  it('reads the same session every time it is presented again', async () => {
    const config = testSessionConfig();
    const store = new MemoryCookieStore();
    const created = await createSession(store, realistic.tokens, realistic.claims, { config });
    const first = await readSession(store, { config });
    for (let index = 0; index < 20; index += 1) {
      const again = await readSession(store, { config });
      expect(again?.id).toBe(created.id);
      expect(again?.tokens()).toEqual(created.tokens());
    }
    expect(first?.tokens()).toEqual(created.tokens());
  });

  it('still applies the idle and absolute timeouts to a reused seal', async () => {
    const config = testSessionConfig();
    const t0 = Date.now();
    const store = new MemoryCookieStore();
    await createSession(store, realistic.tokens, realistic.claims, { config, now: t0 });
    expect(await readSession(store, { config, now: t0 + 1000 })).not.toBeNull();
    expect(await readSession(store, { config, now: t0 + DAY })).toBeNull();
  });

  it('does not open a seal with secrets that no longer include its own', async () => {
    const store = new MemoryCookieStore();
    const sealedWith = testSessionConfig({ secrets: ['old-secret-0123456789-abcdefghijklmnop'] });
    await createSession(store, realistic.tokens, realistic.claims, { config: sealedWith });
    expect(await readSession(store, { config: sealedWith })).not.toBeNull();
    const rotatedOut = testSessionConfig({ secrets: ['new-secret-0123456789-abcdefghijklmnop'] });
    expect(await readSession(store, { config: rotatedOut })).toBeNull();
  });

  it('never matches a changed cookie: one altered character is opened (and refused) afresh', async () => {
    const config = testSessionConfig();
    const store = new MemoryCookieStore();
    await createSession(store, realistic.tokens, realistic.claims, { config });
    expect(await readSession(store, { config })).not.toBeNull();
    const [chunk] = store.getAll();
    if (!chunk) throw new Error('no cookie');
    const flipped = `${chunk.value.slice(0, 40)}${chunk.value[40] === 'A' ? 'B' : 'A'}${chunk.value.slice(41)}`;
    const tampered = new MemoryCookieStore([...store.getAll().slice(1), { name: chunk.name, value: flipped }]);
    expect(await readSession(tampered, { config, readOnly: true })).toBeNull();
  });
});
