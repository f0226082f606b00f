/**
 * The `otpauth://` URI an authenticator app reads from a QR code (Google's Key Uri Format, which
 * every common app follows): `otpauth://totp/<issuer>:<account>?secret=…&issuer=…` with Cognito's
 * TOTP parameters, SHA-1, 6 digits, 30-second steps. Pure: safe anywhere.
 */

/** The issuer authenticator apps show next to the code. */
export const TOTP_ISSUER = 'Cubby';

/** Cognito's TOTP: RFC 6238 with SHA-1, 6 digits, 30-second steps. */
export const TOTP_PARAMETERS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;

/**
 * The URI for `secret` (base32, as AssociateSoftwareToken returns it), labelled with the issuer and
 * the person's `account` (their email). Both parts of the label are percent-encoded; the colon
 * between them is literal, as the format requires.
 */
export function totpUri(secret: string, account: string, issuer: string = TOTP_ISSUER): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const query = new URLSearchParams({
    secret: secret.replace(/\s+/g, '').toUpperCase(),
    issuer,
    algorithm: TOTP_PARAMETERS.algorithm,
    digits: String(TOTP_PARAMETERS.digits),
    period: String(TOTP_PARAMETERS.period),
  });
  return `otpauth://totp/${label}?${query.toString()}`;
}

/** The secret in groups of four for reading and typing (authenticator apps ignore the spaces). */
export function groupedSecret(secret: string): string {
  return secret
    .replace(/\s+/g, '')
    .toUpperCase()
    .replace(/(.{4})(?=.)/g, '$1 ');
}
