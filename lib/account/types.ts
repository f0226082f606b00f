/**
 * The shapes /account's page, server actions and browser components exchange. Types only: safe to
 * import from client components. Inputs are inferred from lib/account/schemas.ts.
 */

export type { ChangeEmailInput, ChangePasswordInput, CodeInput, UpdateProfileInput } from './schemas';

/** What /account shows of the person, read from Cognito (GetUser) on each render. */
export interface AccountView {
  /** The current email: the sign-in name. */
  email: string;
  emailVerified: boolean;
  /** A new address waiting for its code; until it is confirmed, {@link email} stays the sign-in name. */
  pendingEmail: string | null;
  name: string;
  givenName: string;
  familyName: string;
  /**
   * The identity provider the person signs in with (e.g. `Google`), or null for a Cubby password
   * account. Federated people have no Cubby password or authenticator to manage: their provider
   * owns those, and it rewrites their email at each sign-in.
   */
  federatedWith: string | null;
  /** Two-step verification with an authenticator app is on. */
  totpEnabled: boolean;
}

/** An authenticator app being set up: what the person scans or types (the secret is theirs to see). */
export interface TotpSetup {
  /** The QR code of the otpauth:// URI, as an SVG document rendered on the server. */
  qrSvg: string;
  /** The base32 secret in groups of four, for typing in by hand. */
  secret: string;
  /** The otpauth:// URI itself (a link on phones). */
  uri: string;
}

/** Where a new email's code went (Cognito's masked destination). */
export interface EmailChangeStarted {
  pendingEmail: string;
  destination: string;
}
