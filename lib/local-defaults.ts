/**
 * The fixed identifiers of the offline emulator (`npm run emulator`).
 *
 * Outside production, lib/env.ts falls back to these values, and the emulator
 * serves exactly these (see `GET /_local/config`), so a fresh clone runs with
 * no configuration at all. They are public, well-known and grant nothing on AWS.
 * Pure data: safe to import from anywhere, including Node scripts run without a bundler.
 */
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_EMULATOR_PORT = 9229;
export const LOCAL_EMULATOR_ORIGIN = `http://127.0.0.1:${LOCAL_EMULATOR_PORT}`;
export const LOCAL_USER_POOL_ID = 'us-east-1_LocalCubby';
export const LOCAL_CLIENT_ID = 'cubbylocal0appclient000001';
export const LOCAL_CLIENT_SECRET = 'cubby0local0client0secret0for0the0emulator0only00000';
export const LOCAL_IDENTITY_POOL_ID = 'us-east-1:0c0bb1e5-10ca-4000-8000-00000000c0bb';
export const LOCAL_BUCKET = 'cubby-local';
export const LOCAL_APP_URL = 'http://localhost:3000';
/** Development-only session secret; lib/env.ts refuses it in production. */
export const LOCAL_SESSION_SECRET = 'cubby-development-session-secret-never-use-in-production';
/**
 * The identity providers the emulator configures on its pool (`IDENTITY_PROVIDERS` grammar, see
 * lib/auth/providers.ts): Google (a button), the OIDC provider Acme and the SAML provider Globex,
 * reached by typing an email at their domains.
 */
export const LOCAL_IDENTITY_PROVIDERS = 'Google:Google,Acme:Acme Corp@acme.example,Globex:Globex@globex.example';

/**
 * The emulator's managed-login domain for an emulator origin: the same port on `localhost`. Passkeys
 * need a domain as WebAuthn relying-party id (an IP address is not allowed), and `localhost` is one
 * the app at `http://localhost:<port>` shares. The issuer and the AWS endpoints stay on the origin,
 * as on AWS the issuer host differs from the managed-login domain.
 */
export function managedLoginDomainOf(emulatorOrigin: string): string {
  const url = new URL(emulatorOrigin);
  url.hostname = 'localhost';
  return url.origin;
}

/** The environment a development server gets when nothing is set, for a given emulator origin. */
export function localEnvironment(emulatorOrigin: string = LOCAL_EMULATOR_ORIGIN): Record<string, string> {
  return {
    APP_URL: LOCAL_APP_URL,
    SESSION_SECRET: LOCAL_SESSION_SECRET,
    COGNITO_ISSUER: `${emulatorOrigin}/${LOCAL_USER_POOL_ID}`,
    COGNITO_CLIENT_ID: LOCAL_CLIENT_ID,
    COGNITO_CLIENT_SECRET: LOCAL_CLIENT_SECRET,
    COGNITO_DOMAIN: managedLoginDomainOf(emulatorOrigin),
    COGNITO_IDENTITY_POOL_ID: LOCAL_IDENTITY_POOL_ID,
    AWS_REGION: LOCAL_REGION,
    S3_BUCKET: LOCAL_BUCKET,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY: emulatorOrigin,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: emulatorOrigin,
    AWS_ENDPOINT_URL_S3: emulatorOrigin,
    IDENTITY_PROVIDERS: LOCAL_IDENTITY_PROVIDERS,
    // The emulated providers serve their people's pictures from the emulator's own origin.
    IDENTITY_PICTURE_ORIGINS: emulatorOrigin,
  };
}
