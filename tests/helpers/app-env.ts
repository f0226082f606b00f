import type { EmulatorProcess } from './emulator-process';

/**
 * Points lib/env.ts at a running emulator, as `npm run dev` does for the app. Call it before the
 * first lib call in a test file: getEnv() reads process.env once and caches it.
 */
export function useEmulatorEnvironment(target: EmulatorProcess, extra: Record<string, string> = {}): void {
  const { config } = target;
  Object.assign(process.env, {
    APP_URL: config.appUrl,
    AWS_REGION: config.region,
    S3_BUCKET: config.bucket,
    AWS_ENDPOINT_URL_S3: target.url,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY: target.url,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: target.url,
    COGNITO_ISSUER: config.issuer,
    COGNITO_CLIENT_ID: config.clientId,
    COGNITO_CLIENT_SECRET: config.clientSecret,
    COGNITO_DOMAIN: config.domain,
    COGNITO_IDENTITY_POOL_ID: config.identityPoolId,
    ...extra,
  });
}
