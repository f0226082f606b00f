import fs from 'node:fs';
import path from 'node:path';
import { CfnManagedLoginBranding } from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { MANAGED_LOGIN_ASSETS, MANAGED_LOGIN_SETTINGS } from '../../lib/branding/managed-login.ts';

/** The repository root: the branding's asset files are named relative to it. */
const ROOT = path.resolve(import.meta.dirname, '..', '..');

/**
 * The app client's managed-login style from Cubby's one branding definition
 * (lib/branding/managed-login.ts), which the emulator's pages render too: the settings document as
 * is, and the logo and favicons inlined (base64) from the same files the app serves. Inlining keeps
 * the stack free of CDK assets, so it still deploys without `cdk bootstrap`.
 */
export function managedLoginBranding(
  scope: Construct,
  id: string,
  userPoolId: string,
  clientId: string,
): CfnManagedLoginBranding {
  return new CfnManagedLoginBranding(scope, id, {
    userPoolId,
    clientId,
    useCognitoProvidedValues: false,
    settings: MANAGED_LOGIN_SETTINGS,
    assets: MANAGED_LOGIN_ASSETS.map((asset) => ({
      category: asset.category,
      colorMode: asset.colorMode,
      extension: asset.extension,
      bytes: fs.readFileSync(path.join(ROOT, asset.file)).toString('base64'),
    })),
  });
}
