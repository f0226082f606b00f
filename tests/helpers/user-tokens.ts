import * as client from 'openid-client';
import { authorization, Browser, configFor, loginThroughForm } from './cognito-login';
import type { EmulatorProcess } from './emulator-process';

/** The scopes the app asks for: its OIDC ones plus the one the token-authorized user APIs need. */
export const ACCOUNT_SCOPES = 'openid email profile aws.cognito.signin.user.admin';

export interface UserTokens {
  idToken: string;
  accessToken: string;
  refreshToken: string;
}

/**
 * Signs in through managed login as the app does (code flow with PKCE, openid-client) with
 * `scope`, by default {@link ACCOUNT_SCOPES}, in a fresh browser. For integration tests only.
 */
export async function signInForAccount(
  emulator: EmulatorProcess,
  credentials: { email: string; password: string },
  scope = ACCOUNT_SCOPES,
): Promise<UserTokens> {
  const config = await configFor(emulator);
  const auth = await authorization(emulator, config, { scope });
  const callback = await loginThroughForm(new Browser(), auth.url, credentials);
  const tokens = await client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: auth.verifier,
    expectedState: auth.state,
    expectedNonce: auth.nonce,
    idTokenExpected: true,
  });
  if (!tokens.id_token || !tokens.refresh_token) throw new Error('token response lacks id_token or refresh_token');
  return { idToken: tokens.id_token, accessToken: tokens.access_token, refreshToken: tokens.refresh_token };
}

/** The token endpoint's answer to a refresh: `ok`, or the OAuth `error` code. */
export async function refreshOutcome(emulator: EmulatorProcess, refreshToken: string): Promise<string> {
  const config = await configFor(emulator);
  try {
    await client.refreshTokenGrant(config, refreshToken);
    return 'ok';
  } catch (error) {
    if (error instanceof client.ResponseBodyError) return error.error;
    throw error;
  }
}

/** The HTTP status `/oauth2/userInfo` answers for an access token. */
export async function userInfoStatus(emulator: EmulatorProcess, accessToken: string): Promise<number> {
  const response = await fetch(`${emulator.url}/oauth2/userInfo`, { headers: { authorization: `Bearer ${accessToken}` } });
  await response.body?.cancel();
  return response.status;
}

/** Codes the emulator mailed to `email`, oldest first. */
export async function mailedCodes(emulator: EmulatorProcess, email: string): Promise<string[]> {
  const { messages } = (await emulator.hook('GET', `/_local/mailbox?to=${encodeURIComponent(email)}`)) as {
    messages: { code: string | null }[];
  };
  return messages.map((message) => message.code).filter((code): code is string => code !== null);
}
