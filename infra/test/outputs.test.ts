import { readFileSync } from 'node:fs';
import { Stage } from 'aws-cdk-lib';
import { AssetManifestArtifact } from 'aws-cdk-lib/cx-api';
import { describe, expect, it } from 'vitest';
import { ENV_VARIABLES, parseEnv } from '../../lib/env.ts';
import { evaluate, logicalId, synth } from './support.ts';

const APP_VARIABLES = [
  'COGNITO_ISSUER',
  'COGNITO_CLIENT_ID',
  'COGNITO_DOMAIN',
  'COGNITO_IDENTITY_POOL_ID',
  'S3_BUCKET',
  'AWS_REGION',
];

interface Output {
  Description: string;
  Value: unknown;
  Export?: unknown;
}

/** The template's outputs, and their values as CloudFormation would print them for made-up resource ids. */
function deployed(overrides: Parameters<typeof synth>[0] = {}) {
  const { stack, template } = synth(overrides);
  const outputs = (template.toJSON().Outputs ?? {}) as Record<string, Output>;
  const refs = {
    'AWS::URLSuffix': 'amazonaws.com',
    [logicalId(stack, stack.auth.userPool)]: 'eu-west-1_AbC123xyZ',
    [logicalId(stack, stack.auth.client)]: '4example0client0id0abcdefg',
    [logicalId(stack, stack.auth.domain)]: 'cubby-test',
    [logicalId(stack, stack.identity.identityPool)]: 'eu-west-1:0c0bb1e5-10ca-4000-8000-00000000c0bb',
    [logicalId(stack, stack.storage.bucket)]: 'cubbytest-storagefiles1a2b3c4d-abcdef',
  };
  const values = Object.fromEntries(Object.values(outputs).map((output) => [output.Description, evaluate(output.Value, refs)]));
  return { template, outputs, values };
}

describe('stack outputs', () => {
  it('are exactly the six variables the app needs, each named in its description', () => {
    const { outputs } = deployed();
    expect(Object.values(outputs).map((output) => output.Description)).toEqual(APP_VARIABLES);
    for (const variable of APP_VARIABLES) expect(ENV_VARIABLES).toContain(variable);
    for (const output of Object.values(outputs)) expect(output.Export).toBeUndefined();
  });

  it('have the formats the app expects', () => {
    expect(deployed().values).toEqual({
      COGNITO_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123xyZ',
      COGNITO_CLIENT_ID: '4example0client0id0abcdefg',
      COGNITO_DOMAIN: 'https://cubby-test.auth.eu-west-1.amazoncognito.com',
      COGNITO_IDENTITY_POOL_ID: 'eu-west-1:0c0bb1e5-10ca-4000-8000-00000000c0bb',
      S3_BUCKET: 'cubbytest-storagefiles1a2b3c4d-abcdef',
      AWS_REGION: 'eu-west-1',
    });
  });

  it("pass the app's own production configuration check, with the secrets set by hand", () => {
    const { values } = deployed();
    const env = parseEnv({
      ...values,
      NODE_ENV: 'production',
      APP_URL: 'https://cubby.example.org',
      SESSION_SECRET: 'a-production-session-secret-of-enough-length',
      COGNITO_CLIENT_SECRET: 'read-with-describe-user-pool-client',
    });
    expect(env.COGNITO_ISSUER).toBe(values.COGNITO_ISSUER);
    expect(env.COGNITO_DOMAIN).toBe(values.COGNITO_DOMAIN);
  });

  it('give a custom domain as https://<domain>', () => {
    const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';
    const { values } = deployed({ domain: { kind: 'custom', domainName: 'auth.cubby.example.org', certificateArn } });
    expect(values.COGNITO_DOMAIN).toBe('https://auth.cubby.example.org');
  });

  it('never carry the client secret, and nothing in the stack reads it', () => {
    const { template, outputs } = deployed();
    expect(JSON.stringify(outputs)).not.toMatch(/ClientSecret/i);
    expect(template.findResources('Custom::DescribeCognitoUserPoolClient')).toEqual({});
    expect(JSON.stringify(template.toJSON())).not.toMatch(/ClientSecret|describeUserPoolClient/i);
  });
});

describe('deployability', () => {
  it('needs no bootstrap: no assets, no bootstrap version parameter, a template CloudFormation takes inline', () => {
    const json = deployed().template.toJSON();
    expect(json.Parameters?.BootstrapVersion).toBeUndefined();
    expect(json.Rules).toBeUndefined();
    // cdk deploy sends templates up to 50 KiB inline; larger ones need the bootstrap bucket.
    expect(JSON.stringify(json).length).toBeLessThan(40 * 1024);
  });

  it('deploys with the CLI credentials: no bootstrap roles, no uploaded template, no bootstrap version check', () => {
    const { stack } = synth();
    const assembly = Stage.of(stack)?.synth();
    const artifact = assembly?.getStackArtifact(stack.artifactId);
    expect(artifact).toBeDefined();
    expect(artifact?.assumeRoleArn).toBeUndefined();
    expect(artifact?.cloudFormationExecutionRoleArn).toBeUndefined();
    expect(artifact?.lookupRole).toBeUndefined();
    expect(artifact?.requiresBootstrapStackVersion).toBeUndefined();
    expect(artifact?.stackTemplateAssetObjectUrl).toBeUndefined();
    expect(artifact?.dependencies.filter((dependency) => dependency instanceof AssetManifestArtifact)).toEqual([]);
    expect(artifact?.environment.region).toBe('eu-west-1');
  });

  it('pins the CDK CLI and library exactly, both 2.x, and Node 24', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const versions = { ...manifest.dependencies, ...manifest.devDependencies };
    for (const name of ['aws-cdk', 'aws-cdk-lib', 'constructs', 'node']) expect(versions[name]).toMatch(/^\d+\.\d+\.\d+$/);
    expect(versions['aws-cdk']).toMatch(/^2\./);
    expect(versions['aws-cdk-lib']).toMatch(/^2\./);
    expect(versions.node).toMatch(/^24\./);
  });
});
