import 'server-only';
import {
  CompleteWebAuthnRegistrationCommand,
  DeleteWebAuthnCredentialCommand,
  ListWebAuthnCredentialsCommand,
  StartWebAuthnRegistrationCommand,
  type WebAuthnCredentialDescription,
} from '@aws-sdk/client-cognito-identity-provider';
import { z } from 'zod';
import { accountErrorOf, userPoolClient } from '@/lib/aws/user-pool';
import { AppError, type ErrorCode } from '@/lib/errors';
import { log } from '@/lib/log';

/**
 * A person's passkeys at Cognito, with their own access token: list them, add one (Cognito's
 * StartWebAuthnRegistration gives the options the browser's `navigator.credentials.create()`
 * needs; the browser's answer goes back through CompleteWebAuthnRegistration, which verifies it),
 * remove one. Cognito's answers are reshaped and checked here; the browser never sees a token.
 * Server only.
 */

/** A passkey as the account page shows it. */
export interface Passkey {
  /** Cognito's credential id (base64url), what removing it takes. */
  id: string;
  /** Cognito's name for it (from the authenticator, or the browser and platform it was made on). */
  name: string;
  /** ISO 8601. */
  createdAt: string;
  /** `platform` (built into the device), `cross-platform` (a security key or phone), or null when unknown. */
  attachment: 'platform' | 'cross-platform' | null;
}

/** Cognito's limit on passkeys per user; a listing never pages past it (with a margin). */
const MAX_LIST_PAGES = 5;

const Base64UrlSchema = z.string().regex(/^[A-Za-z0-9_-]+$/, 'base64url');

/** A credential id as the browser sends it back to remove a passkey. */
export const PasskeyIdSchema = z.object({ id: Base64UrlSchema.max(1024) });

/**
 * What CompleteWebAuthnRegistration takes: the browser's `RegistrationResponseJSON` (W3C), checked
 * for shape and size before it is passed on (Cognito verifies the attestation itself).
 */
export const RegistrationResponseSchema = z.object({
  id: Base64UrlSchema.max(1024),
  rawId: Base64UrlSchema.max(1024),
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: Base64UrlSchema.max(8192),
    attestationObject: Base64UrlSchema.max(65_536),
    authenticatorData: Base64UrlSchema.max(65_536).optional(),
    publicKey: Base64UrlSchema.max(8192).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    transports: z.array(z.string().max(32)).max(16).optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.json()),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});

export type RegistrationResponseInput = z.infer<typeof RegistrationResponseSchema>;

/**
 * Cognito's CredentialCreationOptions, checked: the fields the browser turns into bytes must be
 * base64url, the rest is passed through as W3C's `PublicKeyCredentialCreationOptionsJSON`.
 */
const CreationOptionsSchema = z.looseObject({
  challenge: Base64UrlSchema,
  rp: z.looseObject({ name: z.string(), id: z.string().optional() }),
  user: z.looseObject({ id: Base64UrlSchema, name: z.string(), displayName: z.string() }),
  pubKeyCredParams: z.array(z.looseObject({ type: z.string(), alg: z.number() })),
  excludeCredentials: z
    .array(z.looseObject({ id: Base64UrlSchema, type: z.string(), transports: z.array(z.string()).optional() }))
    .optional(),
});

/** Cognito's WebAuthn refusals and the codes they become (everything else as lib/aws/user-pool.ts maps it). */
const PASSKEY_ERROR_CODES: Readonly<Record<string, ErrorCode>> = {
  WebAuthnNotEnabledException: 'passkeys_unavailable',
  WebAuthnConfigurationMissingException: 'passkeys_unavailable',
  WebAuthnChallengeNotFoundException: 'passkey_failed',
  WebAuthnClientMismatchException: 'passkey_failed',
  WebAuthnCredentialNotSupportedException: 'passkey_failed',
  WebAuthnOriginNotAllowedException: 'passkey_failed',
  WebAuthnRelyingPartyMismatchException: 'passkey_failed',
};

function nameOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string' ? error.name : '';
}

/** The AppError for a failed WebAuthn call; `overrides` give an operation's own meaning to a generic Cognito error. */
function passkeyError(error: unknown, operation: string, overrides: Readonly<Record<string, ErrorCode>> = {}): AppError {
  const name = nameOf(error);
  const code = overrides[name] ?? PASSKEY_ERROR_CODES[name];
  if (!code) return accountErrorOf(error, operation);
  log('warn', 'account.passkey_refused', { operation, cognitoError: name });
  return new AppError(code, `${operation} failed: ${name}`, { cause: error });
}

function reshape(description: WebAuthnCredentialDescription): Passkey | null {
  if (!description.CredentialId) return null;
  const attachment = description.AuthenticatorAttachment;
  return {
    id: description.CredentialId,
    name: description.FriendlyCredentialName || 'Passkey',
    createdAt: (description.CreatedAt ?? new Date(0)).toISOString(),
    attachment: attachment === 'platform' || attachment === 'cross-platform' ? attachment : null,
  };
}

/**
 * The person's passkeys, oldest first (ListWebAuthnCredentials, every page).
 * @throws {AppError} `session_ended` (token refused), `idp_unavailable`, `rate_limited`.
 */
export async function listPasskeys(accessToken: string): Promise<Passkey[]> {
  const passkeys: Passkey[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_LIST_PAGES; page += 1) {
    try {
      const answer = await userPoolClient().send(
        new ListWebAuthnCredentialsCommand({ AccessToken: accessToken, NextToken: nextToken, MaxResults: 20 }),
      );
      for (const description of answer.Credentials ?? []) {
        const passkey = reshape(description);
        if (passkey) passkeys.push(passkey);
      }
      nextToken = answer.NextToken;
    } catch (error) {
      throw passkeyError(error, 'ListWebAuthnCredentials');
    }
    if (!nextToken) break;
  }
  return passkeys.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/**
 * Starts adding a passkey: Cognito's options for `navigator.credentials.create()` (a fresh
 * challenge, the relying party, the person's user handle, the passkeys to exclude), checked.
 * @throws {AppError} `passkey_limit`, `passkeys_unavailable`, `session_ended`, `idp_unavailable`.
 */
export async function startPasskeyRegistration(accessToken: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
  let options: unknown;
  try {
    const answer = await userPoolClient().send(new StartWebAuthnRegistrationCommand({ AccessToken: accessToken }));
    options = answer.CredentialCreationOptions;
  } catch (error) {
    throw passkeyError(error, 'StartWebAuthnRegistration', { LimitExceededException: 'passkey_limit' });
  }
  const parsed = CreationOptionsSchema.safeParse(options);
  if (!parsed.success) throw new AppError('idp_unavailable', 'StartWebAuthnRegistration answered unusable options');
  return parsed.data as PublicKeyCredentialCreationOptionsJSON;
}

/**
 * Finishes adding a passkey: Cognito verifies the browser's answer against the challenge it gave
 * and stores the credential.
 * @throws {AppError} `passkey_failed` (challenge expired or used, wrong origin or relying party,
 * unverifiable or unsupported credential), `passkey_limit`, `session_ended`, `idp_unavailable`.
 */
export async function completePasskeyRegistration(accessToken: string, credential: RegistrationResponseInput): Promise<void> {
  try {
    await userPoolClient().send(new CompleteWebAuthnRegistrationCommand({ AccessToken: accessToken, Credential: credential }));
  } catch (error) {
    throw passkeyError(error, 'CompleteWebAuthnRegistration', {
      InvalidParameterException: 'passkey_failed',
      LimitExceededException: 'passkey_limit',
    });
  }
  log('info', 'account.passkey_added', {});
}

/**
 * Removes one of the person's passkeys; one that is already gone counts as removed.
 * @throws {AppError} `session_ended`, `idp_unavailable`, `rate_limited`.
 */
export async function deletePasskey(accessToken: string, credentialId: string): Promise<void> {
  try {
    await userPoolClient().send(new DeleteWebAuthnCredentialCommand({ AccessToken: accessToken, CredentialId: credentialId }));
  } catch (error) {
    if (nameOf(error) === 'ResourceNotFoundException') return;
    throw passkeyError(error, 'DeleteWebAuthnCredential');
  }
  log('info', 'account.passkey_removed', {});
}
