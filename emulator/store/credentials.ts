import { randomBytes } from 'node:crypto';
import type { EmulatorContext } from '../context.ts';

/** Temporary AWS credentials the Identity Pool handed out; S3 checks signatures against these. */
export interface IssuedCredentials {
  /** `ASIA` + 16 upper-case letters/digits, like STS session keys. */
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch seconds. */
  expiration: number;
  identityId: string;
  roleArn: string;
  authenticated: boolean;
}

type CredentialSection = { byAccessKeyId: Record<string, IssuedCredentials> };

function section(ctx: EmulatorContext): CredentialSection {
  return ctx.state.section<CredentialSection>('credentials', () => ({ byAccessKeyId: {} }));
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function accessKeyId(): string {
  const bytes = randomBytes(16);
  let id = 'ASIA';
  for (const byte of bytes) id += KEY_ALPHABET[byte % KEY_ALPHABET.length];
  return id;
}

/** Mints and records a credential set living `lifetimeSeconds` (Cognito: 1 hour) from the emulator's now. */
export function issueCredentials(
  ctx: EmulatorContext,
  grant: { identityId: string; roleArn: string; authenticated: boolean },
  lifetimeSeconds = 3600,
): IssuedCredentials {
  const credentials: IssuedCredentials = {
    accessKeyId: accessKeyId(),
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(700).toString('base64')}`,
    expiration: ctx.clock.nowSeconds() + lifetimeSeconds,
    ...grant,
  };
  const store = section(ctx);
  const now = ctx.clock.nowSeconds();
  for (const [id, old] of Object.entries(store.byAccessKeyId)) {
    if (old.expiration < now - 86_400) delete store.byAccessKeyId[id];
  }
  store.byAccessKeyId[credentials.accessKeyId] = credentials;
  ctx.state.changed();
  return credentials;
}

/** The credential set with this access key id, expired or not; undefined when never issued. */
export function findCredentials(ctx: EmulatorContext, id: string): IssuedCredentials | undefined {
  return section(ctx).byAccessKeyId[id];
}
