import 'server-only';
import {
  AssociateSoftwareTokenCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import QRCode from 'qrcode';
import type { Session } from '@/lib/auth/session';
import { userPoolClient } from '@/lib/aws/user-pool';
import { AppError } from '@/lib/errors';
import { log } from '@/lib/log';
import { withAccessToken } from './cognito-call';
import { groupedSecret, totpUri } from './otpauth';
import type { TotpSetup } from './types';

/**
 * Two-step verification with an authenticator app (TOTP), through Cognito's token-authorised
 * calls: AssociateSoftwareToken gives a new secret, VerifySoftwareToken proves the app holds it,
 * SetUserMFAPreference turns it on (then managed login asks for a code at every sign-in) or off.
 * Server only.
 *
 * Turning it off needs a fresh proof. Cognito has no call that checks a code against the secret
 * already in use (VerifySoftwareToken only completes a new association, and a new
 * AssociateSoftwareToken would replace the working secret), so the proof is a sign-in of the last
 * {@link RECENT_SIGN_IN_MS}: the person signs in again at managed login (`prompt=login`), which
 * asks for their authenticator code, and the ID token's `auth_time` says when.
 */

/** How recent a sign-in must be to turn two-step verification off. */
export const RECENT_SIGN_IN_MS = 5 * 60 * 1000;

/** True when the session's sign-in at Cognito is recent enough to turn two-step verification off. */
export function signedInRecently(session: Pick<Session, 'authTime'>, now: number = Date.now()): boolean {
  return now - session.authTime <= RECENT_SIGN_IN_MS;
}

/**
 * Starts setting up an authenticator: a new secret from Cognito, its otpauth:// URI labelled with
 * `account` (the email) under the issuer "Cubby", and the QR code as SVG rendered here.
 * @throws {AppError} `session_ended`, `idp_unavailable`.
 */
export async function startTotpSetup(session: Session, account: string): Promise<TotpSetup> {
  const answer = await withAccessToken(session, 'AssociateSoftwareToken', (AccessToken) =>
    userPoolClient().send(new AssociateSoftwareTokenCommand({ AccessToken })),
  );
  if (!answer.SecretCode) throw new AppError('idp_unavailable', 'AssociateSoftwareToken returned no secret');
  const uri = totpUri(answer.SecretCode, account);
  return { uri, secret: groupedSecret(answer.SecretCode), qrSvg: await qrSvgOf(uri) };
}

/** The QR code of `text` as a standalone SVG document (dark modules on a white quiet zone). */
export function qrSvgOf(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/**
 * Finishes the setup with a code from the app, then makes TOTP the person's (preferred) second
 * step: from the next sign-in, managed login asks for a code.
 * @throws {AppError} `code_mismatch`, `invalid_input` (no setup started), `session_ended`, `idp_unavailable`.
 */
export async function confirmTotpSetup(session: Session, code: string): Promise<void> {
  await withAccessToken(session, 'VerifySoftwareToken', async (AccessToken) => {
    const answer = await userPoolClient().send(
      new VerifySoftwareTokenCommand({ AccessToken, UserCode: code, FriendlyDeviceName: 'Cubby' }),
    );
    if (answer.Status !== 'SUCCESS') throw new AppError('code_mismatch', `VerifySoftwareToken status ${answer.Status}`);
    await userPoolClient().send(
      new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }),
    );
  });
  log('info', 'account.totp_enabled', { sub: session.sub });
}

/**
 * Turns two-step verification off, for a session signed in within {@link RECENT_SIGN_IN_MS}.
 * @throws {AppError} `recent_sign_in_required` otherwise; `session_ended`, `idp_unavailable`.
 */
export async function disableTotp(session: Session, now: number = Date.now()): Promise<void> {
  if (!signedInRecently(session, now)) throw new AppError('recent_sign_in_required', 'sign-in too old to turn off TOTP');
  await withAccessToken(session, 'SetUserMFAPreference', (AccessToken) =>
    userPoolClient().send(
      new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false } }),
    ),
  );
  log('info', 'account.totp_disabled', { sub: session.sub });
}
