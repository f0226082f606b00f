import { describe, expect, it } from 'vitest';
import type { SessionDecision } from '@/lib/auth/fresh-session';
import { fileHandoff, findHandoff, newHandoffId } from '@/lib/http/handoff';

const signedOut: SessionDecision = { state: 'signed_out' };

describe('the proxy → render handoff of the session decision', () => {
  it('finds what was filed under an id, and nothing under any other or no id', () => {
    const id = newHandoffId();
    fileHandoff(id, signedOut);
    expect(findHandoff(id)).toBe(signedOut);
    expect(findHandoff(newHandoffId())).toBeUndefined();
    expect(findHandoff('')).toBeUndefined();
    expect(findHandoff(null)).toBeUndefined();
  });

  it('makes unguessable ids (128 random bits)', () => {
    const ids = new Set(Array.from({ length: 1000 }, newHandoffId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(Buffer.from(id, 'base64url')).toHaveLength(16);
  });

  it('forgets a decision after its few seconds', () => {
    const id = newHandoffId();
    const now = Date.now();
    fileHandoff(id, signedOut, now);
    expect(findHandoff(id, now + 29_000)).toBe(signedOut);
    expect(findHandoff(id, now + 31_000)).toBeUndefined();
  });

  it('is shared through globalThis, as the proxy bundle and the app bundle are separate module copies', async () => {
    const id = newHandoffId();
    fileHandoff(id, signedOut);
    const holder = globalThis as Record<symbol, Map<string, { decision: SessionDecision }> | undefined>;
    expect(holder[Symbol.for('cubby.sessionHandoffs')]?.get(id)?.decision).toBe(signedOut);
  });
});
