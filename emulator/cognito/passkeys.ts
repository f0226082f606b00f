import { randomBytes } from 'node:crypto';
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { EmulatorContext } from '../context.ts';
import { CognitoError } from './errors.ts';
import { findUser, type StoredPasskey, type StoredUser, touch } from './users.ts';

/**
 * The user pool's passkeys (WebAuthn), verified with @simplewebauthn/server. The relying party is
 * the managed-login domain's host, `localhost` (an IP address cannot be one); the app at
 * `http://localhost:<port>` shares it, so a passkey registered through the API from the app's page
 * or on the managed-login page works on both. Ceremonies wait in the state store for
 * {@link CEREMONY_SECONDS}; each is single use.
 */

/** How long a started ceremony (registration or sign-in) may be completed (Cognito's own life: unconfirmed). */
const CEREMONY_SECONDS = 300;
/** Cognito allows up to 20 passkeys per user. */
export const MAX_PASSKEYS = 20;
const RP_NAME = 'Cubby';

interface Ceremony {
  id: string;
  kind: 'registration' | 'authentication';
  username: string;
  /** The app client the registration was started for (API), or null (managed login). */
  clientId: string | null;
  challenge: string;
  expiresAt: number;
}

function ceremonies(ctx: EmulatorContext): Record<string, Ceremony> {
  return ctx.state.section<{ ceremonies: Record<string, Ceremony> }>('cognito-webauthn', () => ({ ceremonies: {} })).ceremonies;
}

function startCeremony(ctx: EmulatorContext, ceremony: Omit<Ceremony, 'expiresAt'>): void {
  const all = ceremonies(ctx);
  const now = ctx.clock.nowSeconds();
  for (const [id, old] of Object.entries(all)) if (old.expiresAt <= now) delete all[id];
  all[ceremony.id] = { ...ceremony, expiresAt: now + CEREMONY_SECONDS };
  ctx.state.changed();
}

/** Removes and returns a live ceremony: any attempt uses it up. */
function takeCeremony(ctx: EmulatorContext, id: string, kind: Ceremony['kind']): Ceremony | undefined {
  const all = ceremonies(ctx);
  const ceremony = all[id];
  if (!ceremony || ceremony.kind !== kind) return undefined;
  delete all[id];
  ctx.state.changed();
  return ceremony.expiresAt > ctx.clock.nowSeconds() ? ceremony : undefined;
}

/** The relying-party id: the managed-login domain's host (`localhost`). */
export function relyingPartyId(ctx: EmulatorContext): string {
  return new URL(ctx.config.domain).hostname;
}

/** Origins a ceremony may come from: the managed-login pages and the app (both under the RP id). */
function allowedOrigins(ctx: EmulatorContext): string[] {
  return [...new Set([ctx.config.domain, ctx.config.appUrl])];
}

export function passkeysOf(user: StoredUser): StoredPasskey[] {
  return user.passkeys ?? [];
}

/** The key under which a user's API registration waits (one at a time, the latest wins). */
function registrationKey(user: StoredUser): string {
  return `registration:${user.username}`;
}

/**
 * StartWebAuthnRegistration: creation options for `user` (user id = the bytes of the user's sub,
 * discoverable credential required, user verification preferred, the user's passkeys excluded).
 * `clientId` is the app client of the access token (null on the managed-login page).
 */
export async function startRegistration(
  ctx: EmulatorContext,
  user: StoredUser,
  clientId: string | null,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const options = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: relyingPartyId(ctx),
    userName: user.email,
    userDisplayName: user.attributes.name ?? user.email,
    userID: new TextEncoder().encode(user.sub),
    attestationType: 'none',
    excludeCredentials: passkeysOf(user).map((passkey) => ({ id: passkey.id, transports: passkey.transports })),
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'preferred' },
    supportedAlgorithmIDs: [-7, -257],
    timeout: CEREMONY_SECONDS * 1000,
  });
  startCeremony(ctx, {
    id: registrationKey(user),
    kind: 'registration',
    username: user.username,
    clientId,
    challenge: options.challenge,
  });
  return options;
}

function clientDataOf(credential: { response?: { clientDataJSON?: unknown } }): { origin?: unknown; challenge?: unknown } {
  try {
    const json = credential.response?.clientDataJSON;
    if (typeof json !== 'string') return {};
    const parsed: unknown = JSON.parse(Buffer.from(json, 'base64url').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

/** A credential document as the API and the pages receive it (an object, or its JSON text). */
export function credentialDocument(value: unknown): Record<string, unknown> {
  const parsed: unknown = typeof value === 'string' ? safeJson(value) : value;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CognitoError('InvalidParameterException', 'Credential must be a RegistrationResponseJSON document.');
  }
  return parsed as Record<string, unknown>;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function friendlyName(ctx: EmulatorContext, attachment: string | null): string {
  const day = ctx.clock.date().toISOString().slice(0, 10);
  return `${attachment === 'cross-platform' ? 'Security key' : 'Passkey'} added ${day}`;
}

/**
 * CompleteWebAuthnRegistration: verifies the browser's RegistrationResponseJSON against the
 * pending challenge (origin: the managed-login domain or the app; RP id `localhost`) and stores
 * the passkey. Throws Cognito's WebAuthn* exceptions.
 */
export async function completeRegistration(
  ctx: EmulatorContext,
  user: StoredUser,
  clientId: string | null,
  document: Record<string, unknown>,
): Promise<StoredPasskey> {
  const pending = ceremonies(ctx)[registrationKey(user)];
  if (!pending || pending.expiresAt <= ctx.clock.nowSeconds()) {
    throw new CognitoError('WebAuthnChallengeNotFoundException', 'The challenge was not found or has expired.');
  }
  if (pending.clientId !== clientId) {
    throw new CognitoError(
      'WebAuthnClientMismatchException',
      'The access token is for another app client than the registration.',
    );
  }
  const clientData = clientDataOf(document as { response?: { clientDataJSON?: unknown } });
  if (typeof clientData.origin !== 'string' || !allowedOrigins(ctx).includes(clientData.origin)) {
    throw new CognitoError('WebAuthnOriginNotAllowedException', 'The credential was not created on an allowed origin.');
  }
  if (clientData.challenge !== pending.challenge) {
    throw new CognitoError('WebAuthnChallengeNotFoundException', 'The challenge was not found or has expired.');
  }
  takeCeremony(ctx, pending.id, 'registration');
  if (passkeysOf(user).length >= MAX_PASSKEYS) {
    throw new CognitoError('LimitExceededException', `A user can have at most ${MAX_PASSKEYS} passkeys.`);
  }
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response: document as unknown as RegistrationResponseJSON,
      expectedChallenge: pending.challenge,
      expectedOrigin: allowedOrigins(ctx),
      expectedRPID: relyingPartyId(ctx),
      requireUserVerification: false,
      supportedAlgorithmIDs: [-7, -257],
    });
  } catch (error) {
    throw verificationError(error);
  }
  if (!verified.verified)
    throw new CognitoError('WebAuthnCredentialNotSupportedException', 'The credential could not be verified.');
  const { credential } = verified.registrationInfo;
  if (passkeysOf(user).some((passkey) => passkey.id === credential.id)) {
    throw new CognitoError('InvalidParameterException', 'This passkey is already registered.');
  }
  const attachment = typeof document.authenticatorAttachment === 'string' ? document.authenticatorAttachment : null;
  const passkey: StoredPasskey = {
    id: credential.id,
    publicKey: Buffer.from(credential.publicKey).toString('base64url'),
    counter: credential.counter,
    transports: credential.transports ?? [],
    attachment,
    friendlyName: friendlyName(ctx, attachment),
    createdAt: ctx.clock.now(),
  };
  user.passkeys = [...passkeysOf(user), passkey];
  touch(ctx, user);
  return passkey;
}

function verificationError(error: unknown): CognitoError {
  const message = error instanceof Error ? error.message : String(error);
  if (/RP ID/i.test(message)) {
    return new CognitoError('WebAuthnRelyingPartyMismatchException', 'The credential is for another relying party.');
  }
  if (/origin/i.test(message)) {
    return new CognitoError('WebAuthnOriginNotAllowedException', 'The credential was not created on an allowed origin.');
  }
  return new CognitoError('WebAuthnCredentialNotSupportedException', `The credential is not supported: ${message}`);
}

/** DeleteWebAuthnCredential: removes one of the user's passkeys; ResourceNotFoundException if it is not theirs. */
export function deletePasskey(ctx: EmulatorContext, user: StoredUser, credentialId: string): void {
  const kept = passkeysOf(user).filter((passkey) => passkey.id !== credentialId);
  if (kept.length === passkeysOf(user).length) {
    throw new CognitoError('ResourceNotFoundException', 'Credential not found.');
  }
  user.passkeys = kept;
  touch(ctx, user);
}

/** A started passkey sign-in on the managed-login page: its id (for the form) and the request options. */
export interface PasskeySignIn {
  id: string;
  options: PublicKeyCredentialRequestOptionsJSON;
}

/** Starts a passkey sign-in for `user` (their passkeys allowed, user verification preferred). */
export async function startPasskeySignIn(ctx: EmulatorContext, user: StoredUser): Promise<PasskeySignIn> {
  const options = await generateAuthenticationOptions({
    rpID: relyingPartyId(ctx),
    allowCredentials: passkeysOf(user).map((passkey) => ({ id: passkey.id, transports: passkey.transports })),
    userVerification: 'preferred',
    timeout: CEREMONY_SECONDS * 1000,
  });
  const id = randomBytes(24).toString('base64url');
  startCeremony(ctx, { id, kind: 'authentication', username: user.username, clientId: null, challenge: options.challenge });
  return { id, options };
}

/** The `amr` of a passkey sign-in: `swk` for a platform authenticator, `hwk` for a roaming one. */
export function passkeyAmr(passkey: StoredPasskey): string[] {
  return [passkey.attachment === 'cross-platform' ? 'hwk' : 'swk'];
}

/**
 * Verifies an AuthenticationResponseJSON for the sign-in `id` (single use, managed-login origin
 * only) and raises the passkey's counter. Returns the user and the passkey used, or undefined when
 * anything does not match (the page then says so without detail).
 */
export async function finishPasskeySignIn(
  ctx: EmulatorContext,
  id: string,
  document: Record<string, unknown>,
): Promise<{ user: StoredUser; passkey: StoredPasskey } | undefined> {
  const ceremony = takeCeremony(ctx, id, 'authentication');
  const user = ceremony ? findUser(ctx, ceremony.username) : undefined;
  const passkey = user ? passkeysOf(user).find((candidate) => candidate.id === document.id) : undefined;
  if (!ceremony || !user?.enabled || !passkey) return undefined;
  try {
    const { verified, authenticationInfo } = await verifyAuthenticationResponse({
      response: document as unknown as AuthenticationResponseJSON,
      expectedChallenge: ceremony.challenge,
      expectedOrigin: ctx.config.domain,
      expectedRPID: relyingPartyId(ctx),
      credential: {
        id: passkey.id,
        publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64url')),
        counter: passkey.counter,
        transports: passkey.transports,
      },
      requireUserVerification: false,
    });
    if (!verified) return undefined;
    passkey.counter = authenticationInfo.newCounter;
    touch(ctx, user);
    return { user, passkey };
  } catch {
    return undefined;
  }
}
