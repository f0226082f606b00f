import { CfnOutput, LegacyStackSynthesizer, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { CubbyAuth } from './auth.ts';
import { CubbyIdentity } from './identity.ts';
import type { CubbyParams } from './params.ts';
import { CubbyStorage } from './storage.ts';

/**
 * The stack's outputs: one per environment variable the app needs from it. CloudFormation output
 * keys must be alphanumeric, so the key is the variable in CamelCase and the description is its
 * exact name. The client secret is never an output (read it with describe-user-pool-client).
 */
export const OUTPUTS = [
  { key: 'CognitoIssuer', variable: 'COGNITO_ISSUER' },
  { key: 'CognitoClientId', variable: 'COGNITO_CLIENT_ID' },
  { key: 'CognitoDomain', variable: 'COGNITO_DOMAIN' },
  { key: 'CognitoIdentityPoolId', variable: 'COGNITO_IDENTITY_POOL_ID' },
  { key: 'S3Bucket', variable: 'S3_BUCKET' },
  { key: 'AwsRegion', variable: 'AWS_REGION' },
] as const;

type OutputVariable = (typeof OUTPUTS)[number]['variable'];

/**
 * Cubby on AWS: the user pool with its managed-login domain and confidential app client, the
 * `admins` group, the Identity Pool with its three roles, and the files bucket.
 *
 * It has no assets and deploys with the CLI's own credentials (LegacyStackSynthesizer: no deploy
 * or execution role, no template upload, no bootstrap version check), so `cdk deploy` needs no
 * `cdk bootstrap` while the template stays under the CLI's 50 KiB inline limit.
 * BootstraplessSynthesizer would not do: it still names the bootstrap roles.
 */
export class CubbyStack extends Stack {
  readonly auth: CubbyAuth;
  readonly storage: CubbyStorage;
  readonly identity: CubbyIdentity;

  constructor(scope: Construct, params: CubbyParams, props: Omit<StackProps, 'env' | 'stackName' | 'synthesizer'> = {}) {
    super(scope, params.stackName, {
      ...props,
      stackName: params.stackName,
      env: { region: params.region },
      synthesizer: new LegacyStackSynthesizer(),
      description: 'Cubby: Cognito user pool, Identity Pool and the S3 files bucket',
    });
    this.auth = new CubbyAuth(this, 'Auth', params);
    this.storage = new CubbyStorage(this, 'Storage', params);
    this.identity = new CubbyIdentity(this, 'Access', params, this.auth, this.storage.bucket.bucketArn);

    const values: Record<OutputVariable, string> = {
      COGNITO_ISSUER: this.auth.issuer,
      COGNITO_CLIENT_ID: this.auth.client.userPoolClientId,
      COGNITO_DOMAIN: this.auth.loginOrigin,
      COGNITO_IDENTITY_POOL_ID: this.identity.identityPool.ref,
      S3_BUCKET: this.storage.bucket.bucketName,
      AWS_REGION: this.region,
    };
    for (const { key, variable } of OUTPUTS) new CfnOutput(this, key, { value: values[variable], description: variable });
  }
}
