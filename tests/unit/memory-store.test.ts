import { describe, expect, it } from 'vitest';
import { MemoryStore } from '@/lib/store/memory';

/**
 * The in-memory default on an injected clock: TTLs, the lock, releasing one's own lock and
 * counters whose window is set once, decided by the clock and nothing else.
 */

function storeAt(start = 1_000_000) {
  const clock = { now: start };
  return { clock, store: new MemoryStore(() => clock.now) };
}

describe('MemoryStore', () => {
  it('keeps a value until exactly its TTL has passed', async () => {
    const { clock, store } = storeAt();
    await store.set('k', 'v', 1_000);
    clock.now += 999;
    expect(await store.get('k')).toBe('v');
    clock.now += 1;
    expect(await store.get('k')).toBeNull();
  });

  it('set replaces the value and restarts the TTL', async () => {
    const { clock, store } = storeAt();
    await store.set('k', 'one', 1_000);
    clock.now += 900;
    await store.set('k', 'two', 1_000);
    clock.now += 900;
    expect(await store.get('k')).toBe('two');
  });

  it('setIfAbsent takes a free or expired lock only', async () => {
    const { clock, store } = storeAt();
    expect(await store.setIfAbsent('lock', 'a', 500)).toBe(true);
    expect(await store.setIfAbsent('lock', 'b', 500)).toBe(false);
    expect(await store.get('lock')).toBe('a');
    clock.now += 500;
    expect(await store.setIfAbsent('lock', 'b', 500)).toBe(true);
    expect(await store.get('lock')).toBe('b');
  });

  it('of 20 concurrent setIfAbsent calls exactly one wins', async () => {
    const { store } = storeAt();
    const results = await Promise.all(Array.from({ length: 20 }, (_, index) => store.setIfAbsent('lock', String(index), 1_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('deleteIfEquals deletes only the matching, live value', async () => {
    const { clock, store } = storeAt();
    await store.set('lock', 'mine', 1_000);
    await store.deleteIfEquals('lock', 'theirs');
    expect(await store.get('lock')).toBe('mine');
    await store.deleteIfEquals('lock', 'mine');
    expect(await store.get('lock')).toBeNull();
    await store.set('lock', 'old', 100);
    clock.now += 100;
    await store.set('lock', 'new', 1_000);
    await store.deleteIfEquals('lock', 'old');
    expect(await store.get('lock')).toBe('new');
  });

  it('increment sets the window when it creates the counter and never extends it', async () => {
    const { clock, store } = storeAt();
    expect(await store.increment('n', 1_000)).toBe(1);
    clock.now += 600;
    expect(await store.increment('n', 1_000)).toBe(2);
    clock.now += 399;
    expect(await store.increment('n', 1_000)).toBe(3);
    clock.now += 1;
    expect(await store.get('n')).toBeNull();
    expect(await store.increment('n', 1_000)).toBe(1);
  });

  it('increment counts on from a numeric value that was set, from 0 over a non-number', async () => {
    const { store } = storeAt();
    await store.set('n', '41', 1_000);
    expect(await store.increment('n', 1_000)).toBe(42);
    await store.set('x', 'not a number', 1_000);
    expect(await store.increment('x', 1_000)).toBe(1);
  });

  it('delete and close forget values', async () => {
    const { store } = storeAt();
    await store.set('a', '1', 1_000);
    await store.set('b', '2', 1_000);
    await store.delete('a');
    expect(await store.get('a')).toBeNull();
    await store.close();
    expect(await store.get('b')).toBeNull();
  });

  it('a TTL of 0 or less still stores for at least a millisecond, never forever', async () => {
    const { clock, store } = storeAt();
    await store.set('k', 'v', 0);
    expect(await store.get('k')).toBe('v');
    clock.now += 1;
    expect(await store.get('k')).toBeNull();
  });

  it('is kind memory', () => {
    expect(storeAt().store.kind).toBe('memory');
  });
});
