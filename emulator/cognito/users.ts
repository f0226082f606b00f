import { randomUUID } from 'node:crypto';
import { ROLE_ARNS } from '../config.ts';
import type { EmulatorContext } from '../context.ts';
import { CognitoError, MESSAGES } from './errors.ts';

export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'EXTERNAL_PROVIDER';

/**
 * One external identity of a user (Cognito's `identities` attribute): the user a federated
 * sign-in created (`primary`), or an identity AdminLinkProviderForUser linked to a native user.
 */
export interface ProviderIdentity {
  userId: string;
  providerName: string;
  providerType: string;
  issuer: string | null;
  primary: boolean;
  /** Epoch milliseconds. */
  dateCreated: number;
}

/** A one-time code sent by mail: sign-up confirmation or password reset. */
export interface PendingCode {
  code: string;
  /** Epoch seconds. */
  expiresAt: number;
}

/** A passkey (WebAuthn credential) of a user; binary values base64url. */
export interface StoredPasskey {
  /** Credential id. */
  id: string;
  /** COSE public key. */
  publicKey: string;
  /** Signature counter, raised by every sign-in with it. */
  counter: number;
  transports: string[];
  /** `platform` (this device) or `cross-platform` (a security key), as the browser reported it. */
  attachment: string | null;
  friendlyName: string;
  /** Epoch milliseconds. */
  createdAt: number;
}

/**
 * A user of the pool. The pool signs in with email as an alias: `username` is a UUID equal to
 * `sub` (as Cognito does for pools whose UsernameAttributes is email); `email` is stored lower-cased
 * and compared case-insensitively.
 */
export interface StoredUser {
  username: string;
  sub: string;
  email: string;
  emailVerified: boolean;
  status: UserStatus;
  passwordHash: string;
  enabled: boolean;
  /** Group names. */
  groups: string[];
  /** Other attributes (name, given_name, custom:*), as strings. */
  attributes: Record<string, string>;
  /** TOTP: `secret` is set by AssociateSoftwareToken, `verified` by VerifySoftwareToken, `enabled` by the MFA preference. */
  totp: { secret: string; verified: boolean; enabled: boolean } | null;
  /** Passkeys (passkeys.ts); absent on users stored before passkeys existed. */
  passkeys?: StoredPasskey[];
  signUpCode: PendingCode | null;
  resetCode: PendingCode | null;
  /** Epoch milliseconds. */
  createdAt: number;
  modifiedAt: number;
  /** External identities (federation.ts); absent for a native user nothing was linked to. */
  identities?: ProviderIdentity[];
}

export interface StoredGroup {
  name: string;
  description: string | null;
  roleArn: string | null;
  precedence: number | null;
  createdAt: number;
  modifiedAt: number;
}

interface UserSection {
  users: Record<string, StoredUser>;
  groups: Record<string, StoredGroup>;
}

/** The user-pool directory, seeded with the `admins` group (role ROLE_ARNS.admins, precedence 1). */
export function directory(ctx: EmulatorContext): UserSection {
  return ctx.state.section<UserSection>('cognito-users', () => {
    const now = ctx.clock.now();
    return {
      users: {},
      groups: {
        admins: {
          name: 'admins',
          description: 'Cubby administrators',
          roleArn: ROLE_ARNS.admins,
          precedence: 1,
          createdAt: now,
          modifiedAt: now,
        },
      },
    };
  });
}

/**
 * The user whose username, sub or email (case-insensitive) is `name`; undefined if none. Email is
 * an alias of native users only: a federated user (EXTERNAL_PROVIDER) may share a native user's
 * email and is found by its username or sub.
 */
export function findUser(ctx: EmulatorContext, name: string): StoredUser | undefined {
  const { users } = directory(ctx);
  const direct = users[name] ?? users[name.toLowerCase()];
  if (direct) return direct;
  const lower = name.toLowerCase();
  return Object.values(users).find((user) => (user.email === lower && user.status !== 'EXTERNAL_PROVIDER') || user.sub === lower);
}

/** Like {@link findUser}, but throws Cognito's UserNotFoundException. */
export function requireUser(ctx: EmulatorContext, name: string): StoredUser {
  const user = findUser(ctx, name);
  if (!user) throw new CognitoError('UserNotFoundException', MESSAGES.userNotFound);
  return user;
}

export function isEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

/**
 * Adds a user. Throws UsernameExistsException when the email is taken and InvalidParameterException
 * when it is not an email.
 */
export function addUser(
  ctx: EmulatorContext,
  input: { email: string; passwordHash: string; status: UserStatus; emailVerified: boolean; attributes?: Record<string, string> },
): StoredUser {
  const email = input.email.trim().toLowerCase();
  if (!isEmail(email)) throw new CognitoError('InvalidParameterException', 'Username should be an email.');
  if (findUser(ctx, email)) throw new CognitoError('UsernameExistsException', MESSAGES.emailExists);
  const sub = randomUUID();
  const now = ctx.clock.now();
  const user: StoredUser = {
    username: sub,
    sub,
    email,
    emailVerified: input.emailVerified,
    status: input.status,
    passwordHash: input.passwordHash,
    enabled: true,
    groups: [],
    attributes: input.attributes ?? {},
    totp: null,
    signUpCode: null,
    resetCode: null,
    createdAt: now,
    modifiedAt: now,
  };
  directory(ctx).users[user.username] = user;
  ctx.state.changed();
  return user;
}

export function deleteUser(ctx: EmulatorContext, user: StoredUser): void {
  delete directory(ctx).users[user.username];
  ctx.state.changed();
}

/** Marks a user as modified now and schedules a state write. */
export function touch(ctx: EmulatorContext, user: StoredUser): void {
  user.modifiedAt = ctx.clock.now();
  ctx.state.changed();
}

/** The user's groups ordered as Cognito lists them in tokens: by precedence (unset last), then name. */
export function groupsOf(ctx: EmulatorContext, user: StoredUser): StoredGroup[] {
  const { groups } = directory(ctx);
  return user.groups
    .map((name) => groups[name])
    .filter((group): group is StoredGroup => group !== undefined)
    .sort(
      (a, b) =>
        (a.precedence ?? Number.MAX_SAFE_INTEGER) - (b.precedence ?? Number.MAX_SAFE_INTEGER) || a.name.localeCompare(b.name),
    );
}

/** The user's attributes as Cognito's `[{Name, Value}]` list (sub first, all values strings). */
export function attributeList(user: StoredUser): { Name: string; Value: string }[] {
  return [
    { Name: 'sub', Value: user.sub },
    { Name: 'email_verified', Value: String(user.emailVerified) },
    { Name: 'email', Value: user.email },
    ...Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value })),
    ...(user.identities?.length ? [{ Name: 'identities', Value: JSON.stringify(user.identities) }] : []),
  ];
}
