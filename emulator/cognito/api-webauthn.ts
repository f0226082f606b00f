import { decodeJwt } from 'jose';
import type { EmulatorContext } from '../context.ts';
import { type ApiInput, optional, required, userOfAccessToken } from './api-input.ts';
import { CognitoError } from './errors.ts';
import {
  completeRegistration,
  credentialDocument,
  deletePasskey,
  MAX_PASSKEYS,
  passkeysOf,
  relyingPartyId,
  startRegistration,
} from './passkeys.ts';

/**
 * The passkey operations of the user-pool API, authorised by the user's access token (unexpired,
 * not revoked, scope `aws.cognito.signin.user.admin`): StartWebAuthnRegistration,
 * CompleteWebAuthnRegistration, ListWebAuthnCredentials, DeleteWebAuthnCredential.
 */

/** The app client the access token was issued to (the token is already verified). */
function clientOf(input: ApiInput): string | null {
  const { client_id: clientId } = decodeJwt(required(input, 'AccessToken'));
  return typeof clientId === 'string' ? clientId : null;
}

function maxResults(input: ApiInput): number {
  const value = input.MaxResults;
  if (value === undefined) return MAX_PASSKEYS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_PASSKEYS) {
    throw new CognitoError(
      'InvalidParameterException',
      `1 validation error detected: Value '${String(value)}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and ${MAX_PASSKEYS}`,
    );
  }
  return value;
}

/** NextToken: the index of the next credential, opaque to callers. */
function startIndex(input: ApiInput): number {
  const token = optional(input, 'NextToken');
  if (token === undefined) return 0;
  const index = Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(index) || index < 0) throw new CognitoError('InvalidParameterException', 'Invalid NextToken.');
  return index;
}

export const WEBAUTHN_OPERATIONS: Record<string, (ctx: EmulatorContext, input: ApiInput) => unknown> = {
  async StartWebAuthnRegistration(ctx, input) {
    const user = await userOfAccessToken(ctx, input);
    return { CredentialCreationOptions: await startRegistration(ctx, user, clientOf(input)) };
  },
  async CompleteWebAuthnRegistration(ctx, input) {
    const user = await userOfAccessToken(ctx, input);
    if (input.Credential === undefined || input.Credential === null) required(input, 'Credential');
    await completeRegistration(ctx, user, clientOf(input), credentialDocument(input.Credential));
    return {};
  },
  async ListWebAuthnCredentials(ctx, input) {
    const user = await userOfAccessToken(ctx, input);
    const limit = maxResults(input);
    const start = startIndex(input);
    const all = passkeysOf(user);
    const page = all.slice(start, start + limit);
    const next = start + limit < all.length ? Buffer.from(String(start + limit)).toString('base64url') : undefined;
    return {
      Credentials: page.map((passkey) => ({
        CredentialId: passkey.id,
        FriendlyCredentialName: passkey.friendlyName,
        RelyingPartyId: relyingPartyId(ctx),
        ...(passkey.attachment ? { AuthenticatorAttachment: passkey.attachment } : {}),
        AuthenticatorTransports: passkey.transports,
        CreatedAt: passkey.createdAt / 1000,
      })),
      ...(next ? { NextToken: next } : {}),
    };
  },
  async DeleteWebAuthnCredential(ctx, input) {
    const user = await userOfAccessToken(ctx, input);
    deletePasskey(ctx, user, required(input, 'CredentialId'));
    return {};
  },
};
