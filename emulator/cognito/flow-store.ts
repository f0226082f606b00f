import { randomBytes, randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../context.ts';

/** Authorization codes live 5 minutes, as Cognito's do. */
export const CODE_LIFETIME_SECONDS = 300;
/** A pending MFA or new-password step lives 3 minutes; a sign-up waiting for its mailed code, 1 hour. */
const CHALLENGE_LIFETIME_SECONDS: Record<Challenge['kind'], number> = { mfa: 180, new_password: 180, signup: 3600 };

/** An issued authorization code and everything the token endpoint checks it against. */
export interface AuthorizationCode {
  code: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce: string | null;
  scopes: string[];
  username: string;
  authTime: number;
  /** How the user signed in (the tokens' `amr`), when known. */
  amr?: string[];
  expiresAt: number;
}

/** A managed-login session (cookie `cognito`): a second authorize within its life skips the form. */
export interface LoginSession {
  id: string;
  username: string;
  authTime: number;
  /** How the user signed in (the tokens' `amr`), when known. */
  amr?: string[];
  expiresAt: number;
}

/**
 * A sign-in waiting for its next step: a TOTP code or a new password after the password was
 * verified, or (`signup`) the confirmation code of an account that was just signed up in this
 * browser, after which the user is signed in without typing the password again.
 */
export interface Challenge {
  id: string;
  kind: 'mfa' | 'new_password' | 'signup';
  username: string;
  expiresAt: number;
}

interface FlowSection {
  codes: Record<string, AuthorizationCode>;
  sessions: Record<string, LoginSession>;
  challenges: Record<string, Challenge>;
}

function section(ctx: EmulatorContext): FlowSection {
  return ctx.state.section<FlowSection>('cognito-flow', () => ({ codes: {}, sessions: {}, challenges: {} }));
}

function prune<T extends { expiresAt: number }>(records: Record<string, T>, now: number): void {
  for (const [key, record] of Object.entries(records)) if (record.expiresAt <= now) delete records[key];
}

/** Issues a single-use UUID code valid {@link CODE_LIFETIME_SECONDS}. */
export function issueCode(ctx: EmulatorContext, grant: Omit<AuthorizationCode, 'code' | 'expiresAt'>): string {
  const store = section(ctx);
  const now = ctx.clock.nowSeconds();
  prune(store.codes, now - 3600);
  const code = randomUUID();
  store.codes[code] = { code, ...grant, expiresAt: now + CODE_LIFETIME_SECONDS };
  ctx.state.changed();
  return code;
}

/** Removes and returns a code: any presentation burns it. Expired or unknown codes give undefined. */
export function consumeCode(ctx: EmulatorContext, code: string): AuthorizationCode | undefined {
  const store = section(ctx);
  const record = store.codes[code];
  if (!record) return undefined;
  delete store.codes[code];
  ctx.state.changed();
  return record.expiresAt > ctx.clock.nowSeconds() ? record : undefined;
}

/** Starts a managed-login session lasting `managedLoginSessionSeconds` (read now). */
export function startSession(ctx: EmulatorContext, username: string, authTime: number, amr?: string[]): LoginSession {
  const store = section(ctx);
  const now = ctx.clock.nowSeconds();
  prune(store.sessions, now);
  const session: LoginSession = {
    id: randomBytes(32).toString('base64url'),
    username,
    authTime,
    ...(amr ? { amr } : {}),
    expiresAt: now + ctx.settings.managedLoginSessionSeconds,
  };
  store.sessions[session.id] = session;
  ctx.state.changed();
  return session;
}

/** The live session with this id, or undefined. */
export function findSession(ctx: EmulatorContext, id: string | undefined): LoginSession | undefined {
  const session = id ? section(ctx).sessions[id] : undefined;
  return session && session.expiresAt > ctx.clock.nowSeconds() ? session : undefined;
}

export function endSession(ctx: EmulatorContext, id: string | undefined): void {
  if (!id) return;
  delete section(ctx).sessions[id];
  ctx.state.changed();
}

export function startChallenge(ctx: EmulatorContext, kind: Challenge['kind'], username: string): Challenge {
  const store = section(ctx);
  const now = ctx.clock.nowSeconds();
  prune(store.challenges, now);
  const challenge: Challenge = {
    id: randomBytes(24).toString('base64url'),
    kind,
    username,
    expiresAt: now + CHALLENGE_LIFETIME_SECONDS[kind],
  };
  store.challenges[challenge.id] = challenge;
  ctx.state.changed();
  return challenge;
}

/** The live challenge of this kind with this id, or undefined. */
export function findChallenge(ctx: EmulatorContext, kind: Challenge['kind'], id: string | null): Challenge | undefined {
  const challenge = id ? section(ctx).challenges[id] : undefined;
  return challenge && challenge.kind === kind && challenge.expiresAt > ctx.clock.nowSeconds() ? challenge : undefined;
}

export function endChallenge(ctx: EmulatorContext, id: string): void {
  delete section(ctx).challenges[id];
  ctx.state.changed();
}
