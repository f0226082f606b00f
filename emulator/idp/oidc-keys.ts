import { createPrivateKey, generateKeyPairSync, type JsonWebKey, type KeyObject, randomBytes } from 'node:crypto';
import type { EmulatorContext } from '../context.ts';

/**
 * Each emulated OIDC provider signs its ID tokens with its own RSA-2048 key, persisted with the
 * emulator's state (as the pool's keys are) so tokens and the JWKS survive a restart.
 */

interface StoredKey {
  kid: string;
  privateJwk: JsonWebKey;
}

function generate(): StoredKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid: randomBytes(10).toString('hex'), privateJwk: privateKey.export({ format: 'jwk' }) };
}

function section(ctx: EmulatorContext): Record<string, StoredKey> {
  return ctx.state.section<Record<string, StoredKey>>('idp-keys', () => ({}));
}

function storedKey(ctx: EmulatorContext, slug: string): StoredKey {
  const keys = section(ctx);
  let stored = keys[slug];
  if (!stored) {
    stored = generate();
    keys[slug] = stored;
    ctx.state.changed();
  }
  return stored;
}

const cache = new WeakMap<StoredKey, KeyObject>();

/** The provider's signing key and its `kid`. */
export function providerSigningKey(ctx: EmulatorContext, slug: string): { kid: string; key: KeyObject } {
  const stored = storedKey(ctx, slug);
  let key = cache.get(stored);
  if (!key) {
    key = createPrivateKey({ key: stored.privateJwk, format: 'jwk' });
    cache.set(stored, key);
  }
  return { kid: stored.kid, key };
}

/** The provider's public JWKS. */
export function providerJwks(ctx: EmulatorContext, slug: string): { keys: Record<string, string>[] } {
  const { kid, privateJwk } = storedKey(ctx, slug);
  return { keys: [{ kty: 'RSA', alg: 'RS256', use: 'sig', kid, n: String(privateJwk.n), e: String(privateJwk.e) }] };
}

let rogue: KeyObject | undefined;

/** A key no provider publishes: signs the tokens of the `bad-signature` misbehaviour. */
export function rogueKey(): KeyObject {
  rogue ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  return rogue;
}
