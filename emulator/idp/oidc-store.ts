import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { idpResponseUrl } from '../cognito/federation-oidc.ts';
import { OIDC_CLIENTS } from '../cognito/identity-providers.ts';
import type { EmulatorContext } from '../context.ts';

/**
 * The emulated OIDC providers' own data: who they are (Google-shaped and an enterprise provider),
 * the client each registered for the pool, their accounts (one stable `sub` per email), their
 * short-lived codes and access tokens (in memory), and the misbehaviour a test switched on.
 */

export type ProviderSlug = 'google' | 'acme';

export interface EmulatedProvider {
  slug: ProviderSlug;
  /** The heading of the sign-in page. */
  title: string;
  /** Only accounts of this email domain exist at the provider (an enterprise directory); null for any. */
  emailDomain: string | null;
  /** A new subject: Google's are 21 digits, Acme's UUIDs. */
  newSubject(): string;
  /** Google adds `azp` (the client id) to its ID tokens. */
  authorizedParty: boolean;
}

export const EMULATED_PROVIDERS: Record<ProviderSlug, EmulatedProvider> = {
  google: {
    slug: 'google',
    title: 'Sign in with Google',
    emailDomain: null,
    newSubject: () => `1${Array.from({ length: 20 }, () => randomInt(0, 10)).join('')}`,
    authorizedParty: true,
  },
  acme: {
    slug: 'acme',
    title: 'Acme single sign-on',
    emailDomain: 'acme.example',
    newSubject: () => randomUUID(),
    authorizedParty: false,
  },
};

/** The provider at `/_idp/<slug>`, or undefined. */
export function emulatedProvider(slug: string): EmulatedProvider | undefined {
  return Object.hasOwn(EMULATED_PROVIDERS, slug) ? EMULATED_PROVIDERS[slug as ProviderSlug] : undefined;
}

/** A client registered at a provider. */
export interface ProviderClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

/** The provider's one registered client: the pool, redirecting to its `/oauth2/idpresponse`. */
export function registeredClient(ctx: EmulatorContext, slug: ProviderSlug, clientId: string | null): ProviderClient | undefined {
  const client = OIDC_CLIENTS[slug];
  if (clientId !== client.clientId) return undefined;
  return { ...client, redirectUris: [idpResponseUrl(ctx)] };
}

export interface ProviderAccount {
  sub: string;
  email: string;
  name: string;
}

/** The account of `email` at the provider, created with a new subject on first use; the name is updated. */
export function accountFor(ctx: EmulatorContext, provider: EmulatedProvider, email: string, name: string): ProviderAccount {
  const accounts = ctx.state.section<Record<string, Record<string, ProviderAccount>>>('idp-accounts', () => ({}));
  const byEmail = accounts[provider.slug] ?? {};
  accounts[provider.slug] = byEmail;
  const key = email.trim().toLowerCase();
  const account = byEmail[key] ?? { sub: provider.newSubject(), email: key, name: '' };
  byEmail[key] = account;
  account.name = name.trim() || account.name || key.split('@')[0] || key;
  ctx.state.changed();
  return account;
}

/** A code the provider issued, with what its token request must match. */
export interface ProviderCode {
  slug: ProviderSlug;
  clientId: string;
  redirectUri: string;
  nonce: string | null;
  codeChallenge: string | null;
  scope: string;
  account: ProviderAccount;
  expiresAt: number;
}

/** Ways a test makes a provider misbehave (`POST /_local/idp/<slug>/misbehave`). */
export const MISBEHAVIOURS = [
  'bad-signature',
  'wrong-audience',
  'wrong-issuer',
  'wrong-nonce',
  'expired',
  'token-error',
  'unreachable',
] as const;
export type Misbehaviour = (typeof MISBEHAVIOURS)[number];

interface Memory {
  codes: Map<string, ProviderCode>;
  accessTokens: Map<string, { account: ProviderAccount; slug: ProviderSlug; expiresAt: number }>;
  misbehaviour: Map<ProviderSlug, { mode: Misbehaviour; times: number }>;
}

const memories = new WeakMap<EmulatorContext, Memory>();

/** Per-emulator in-memory data of the providers (codes and access tokens do not outlive a restart). */
export function memory(ctx: EmulatorContext): Memory {
  let found = memories.get(ctx);
  if (!found) {
    found = { codes: new Map(), accessTokens: new Map(), misbehaviour: new Map() };
    memories.set(ctx, found);
  }
  return found;
}

/** Issues a single-use code valid 10 minutes. */
export function issueProviderCode(ctx: EmulatorContext, grant: Omit<ProviderCode, 'expiresAt'>): string {
  const code = `4/${randomBytes(30).toString('base64url')}`;
  memory(ctx).codes.set(code, { ...grant, expiresAt: ctx.clock.nowSeconds() + 600 });
  return code;
}

/** Removes and returns a live code (any presentation burns it). */
export function consumeProviderCode(ctx: EmulatorContext, slug: ProviderSlug, code: string): ProviderCode | undefined {
  const { codes } = memory(ctx);
  const record = codes.get(code);
  if (!record) return undefined;
  codes.delete(code);
  return record.slug === slug && record.expiresAt > ctx.clock.nowSeconds() ? record : undefined;
}

/** Takes one use of the misbehaviour switched on for `slug`, if any. */
export function takeMisbehaviour(ctx: EmulatorContext, slug: ProviderSlug): Misbehaviour | undefined {
  const { misbehaviour } = memory(ctx);
  const current = misbehaviour.get(slug);
  if (!current) return undefined;
  if (current.times > 0 && --current.times === 0) misbehaviour.delete(slug);
  return current.mode;
}
