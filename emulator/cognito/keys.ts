import { createPrivateKey, generateKeyPairSync, type JsonWebKey, type KeyObject, randomBytes } from 'node:crypto';
import type { EmulatorContext } from '../context.ts';

/** Cognito signs ID and access tokens with two different RSA-2048 keys, each with a base64 `kid`. */
export type KeyUse = 'id' | 'access';

interface StoredKey {
  kid: string;
  privateJwk: JsonWebKey;
}

type KeySection = Record<KeyUse, StoredKey>;

function generate(): StoredKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid: randomBytes(32).toString('base64'), privateJwk: privateKey.export({ format: 'jwk' }) };
}

function section(ctx: EmulatorContext): KeySection {
  return ctx.state.section<KeySection>('keys', () => ({ id: generate(), access: generate() }));
}

const cache = new WeakMap<StoredKey, KeyObject>();

/** The private key and `kid` that sign tokens of one use. Persisted, so tokens survive restarts. */
export function signingKey(ctx: EmulatorContext, use: KeyUse): { kid: string; key: KeyObject } {
  const stored = section(ctx)[use];
  let key = cache.get(stored);
  if (!key) {
    key = createPrivateKey({ key: stored.privateJwk, format: 'jwk' });
    cache.set(stored, key);
  }
  return { kid: stored.kid, key };
}

/** The public JWKS as Cognito serves it: `{keys:[{alg,e,kid,kty,n,use}]}`. */
export function publicJwks(ctx: EmulatorContext): { keys: Record<string, string>[] } {
  const keys = section(ctx);
  return {
    keys: (['id', 'access'] as const).map((use) => {
      const { kid, privateJwk } = keys[use];
      return { alg: 'RS256', e: String(privateJwk.e), kid, kty: 'RSA', n: String(privateJwk.n), use: 'sig' };
    }),
  };
}
