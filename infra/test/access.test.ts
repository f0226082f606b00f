import { readdirSync, readFileSync } from 'node:fs';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import {
  adminsRolePolicy,
  authenticatedRolePolicy,
  identityPoolTrustPolicy,
  type PolicyDocument,
  type PolicyStatement,
  unauthenticatedRolePolicy,
} from '../../lib/aws/policies.ts';
import { ADMINS_GROUP, ROLE_POLICY_NAME } from '../lib/identity.ts';
import { type CfnResource, evaluate, logicalId, only, roles, synth } from './support.ts';

const BUCKET_ARN = 'arn:aws:s3:::cubby-test-files';
const POOL_ID = 'eu-west-1:11111111-2222-4333-8444-555555555555';

/** The template with the bucket ARN and pool id filled in, as policies.ts would fill them. */
function resolved(guestAccess = true) {
  const { stack, template } = synth({ guestAccess });
  const refs = {
    [`${logicalId(stack, stack.storage.bucket)}.Arn`]: BUCKET_ARN,
    [logicalId(stack, stack.identity.identityPool)]: POOL_ID,
  };
  const byId = (role: IConstruct | undefined) => {
    const id = logicalId(stack, role);
    const resource = roles(template)[id];
    if (!resource) throw new Error(`no role ${id}`);
    return resource;
  };
  return { stack, template, refs, byId };
}

function inlinePolicy(role: CfnResource, refs: Record<string, string>): PolicyDocument {
  const policies = role.Properties.Policies as { PolicyName: string; PolicyDocument: unknown }[];
  expect(policies.map((policy) => policy.PolicyName)).toEqual([ROLE_POLICY_NAME]);
  return evaluate(policies[0]?.PolicyDocument, refs) as PolicyDocument;
}

function trustPolicy(role: CfnResource, refs: Record<string, string>): PolicyDocument {
  return evaluate(role.Properties.AssumeRolePolicyDocument, refs) as PolicyDocument;
}

const asList = (value: string | string[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

describe('roles: the documents of lib/aws/policies.ts with the bucket ARN filled in', () => {
  const { stack, refs, byId } = resolved();

  it.each([
    ['authenticated', () => byId(stack.identity.authenticatedRole), authenticatedRolePolicy(BUCKET_ARN)],
    ['admins', () => byId(stack.identity.adminsRole), adminsRolePolicy(BUCKET_ARN)],
    ['unauthenticated', () => byId(stack.identity.unauthenticatedRole), unauthenticatedRolePolicy(BUCKET_ARN)],
  ])('%s role policy equals the shared document', (_name, role, expected) => {
    expect(inlinePolicy(role(), refs)).toEqual(expected);
  });

  it.each([
    ['authenticated', () => byId(stack.identity.authenticatedRole), 'authenticated'],
    ['admins', () => byId(stack.identity.adminsRole), 'authenticated'],
    ['unauthenticated', () => byId(stack.identity.unauthenticatedRole), 'unauthenticated'],
  ] as const)('%s role trusts only this pool and %s identities', (_name, role, kind) => {
    const trust = trustPolicy(role(), refs);
    expect(trust).toEqual(identityPoolTrustPolicy(POOL_ID, kind));
    const [statement, ...others] = trust.Statement;
    expect(others).toEqual([]);
    expect(statement?.Principal).toEqual({ Federated: 'cognito-identity.amazonaws.com' });
    expect(statement?.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(statement?.Condition?.StringEquals?.['cognito-identity.amazonaws.com:aud']).toBe(POOL_ID);
    expect(statement?.Condition?.['ForAnyValue:StringLike']?.['cognito-identity.amazonaws.com:amr']).toBe(kind);
  });

  it('no user role has a wildcard action, a * resource, NotAction or NotResource, or anything outside the bucket', () => {
    const all = [stack.identity.authenticatedRole, stack.identity.adminsRole, stack.identity.unauthenticatedRole];
    const statements: PolicyStatement[] = all.flatMap((role) => inlinePolicy(byId(role), refs).Statement);
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.Effect).toBe('Allow');
      expect(statement.NotAction).toBeUndefined();
      expect(statement.NotResource).toBeUndefined();
      for (const action of asList(statement.Action)) {
        expect(action).toMatch(/^s3:[A-Za-z]+$/);
      }
      for (const resource of asList(statement.Resource)) {
        expect(resource).not.toBe('*');
        expect(resource === BUCKET_ARN || resource.startsWith(`${BUCKET_ARN}/`)).toBe(true);
      }
    }
  });

  it('the template has exactly these three roles', () => {
    expect(Object.keys(roles(resolved().template))).toHaveLength(3);
  });
});

describe('admins group', () => {
  it('has the admins role and its precedence', () => {
    const { stack, template } = resolved();
    const { resource } = only(template, 'AWS::Cognito::UserPoolGroup');
    expect(resource.Properties).toMatchObject({
      GroupName: 'admins',
      Precedence: ADMINS_GROUP.precedence,
      RoleArn: { 'Fn::GetAtt': [logicalId(stack, stack.identity.adminsRole), 'Arn'] },
      UserPoolId: { Ref: logicalId(stack, stack.auth.userPool) },
    });
  });
});

describe('identity pool', () => {
  it('takes the app client as its only provider, with the server-side token check, no classic flow', () => {
    const { stack, template } = resolved();
    const { resource } = only(template, 'AWS::Cognito::IdentityPool');
    const userPoolId = logicalId(stack, stack.auth.userPool);
    const clientId = logicalId(stack, stack.auth.client);
    expect(resource.Properties.AllowClassicFlow).toBe(false);
    expect(resource.Properties.CognitoIdentityProviders).toEqual([
      { ClientId: { Ref: clientId }, ProviderName: { 'Fn::GetAtt': [userPoolId, 'ProviderName'] }, ServerSideTokenCheck: true },
    ]);
  });

  it('maps roles from tokens (cognito:preferred_role), falling back to the authenticated role', () => {
    const { stack, template } = resolved();
    const { resource } = only(template, 'AWS::Cognito::IdentityPoolRoleAttachment');
    const mappings = Object.values(resource.Properties.RoleMappings as Record<string, Record<string, unknown>>);
    expect(mappings).toHaveLength(1);
    const [mapping] = mappings;
    expect(mapping).toMatchObject({ Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' });
    const refs = {
      [`${logicalId(stack, stack.auth.userPool)}.ProviderName`]: 'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc',
      [logicalId(stack, stack.auth.client)]: 'client123',
    };
    expect(evaluate(mapping?.IdentityProvider, refs)).toBe('cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc:client123');
  });

  it('with guest access: guests allowed and the unauthenticated role attached', () => {
    const { stack, template } = resolved(true);
    expect(only(template, 'AWS::Cognito::IdentityPool').resource.Properties.AllowUnauthenticatedIdentities).toBe(true);
    const attached = only(template, 'AWS::Cognito::IdentityPoolRoleAttachment').resource.Properties.Roles;
    expect(attached).toEqual({
      authenticated: { 'Fn::GetAtt': [logicalId(stack, stack.identity.authenticatedRole), 'Arn'] },
      unauthenticated: { 'Fn::GetAtt': [logicalId(stack, stack.identity.unauthenticatedRole), 'Arn'] },
    });
  });

  it('without guest access: guests refused, no unauthenticated role at all', () => {
    const { stack, template, refs } = resolved(false);
    expect(only(template, 'AWS::Cognito::IdentityPool').resource.Properties.AllowUnauthenticatedIdentities).toBe(false);
    const attached = only(template, 'AWS::Cognito::IdentityPoolRoleAttachment').resource.Properties.Roles;
    expect(attached).toEqual({
      authenticated: { 'Fn::GetAtt': [logicalId(stack, stack.identity.authenticatedRole), 'Arn'] },
    });
    expect(stack.identity.unauthenticatedRole).toBeUndefined();
    const kinds = Object.values(roles(template)).map(
      (role) =>
        trustPolicy(role, refs).Statement[0]?.Condition?.['ForAnyValue:StringLike']?.['cognito-identity.amazonaws.com:amr'],
    );
    expect(kinds).toEqual(['authenticated', 'authenticated']);
  });
});

describe('one definition of access', () => {
  const libDir = new URL('../lib/', import.meta.url);
  const sources = readdirSync(libDir)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => ({ name, text: readFileSync(new URL(name, libDir), 'utf8') }));

  it('infra/lib writes no IAM action, condition key, policy version or CORS rule of its own', () => {
    expect(sources.map(({ name }) => name)).toContain('identity.ts');
    for (const { name, text } of sources) {
      for (const pattern of [/['"`](s3|sts|iam):/, /cognito-identity\.amazonaws\.com/, /2012-10-17/, /AllowedOrigins:\s*\[/]) {
        expect({ name, match: pattern.exec(text)?.[0] }).toEqual({ name, match: undefined });
      }
    }
  });

  it('infra/lib builds no policy with CDK either (no PolicyStatement, Role, grant or addToPolicy)', () => {
    for (const { name, text } of sources) {
      const match =
        /\bnew (PolicyStatement|PolicyDocument|Policy|ManagedPolicy|Role)\(|\.grant[A-Z]\w*\(|addTo(Principal|Resource)?Policy\(/.exec(
          text,
        );
      expect({ name, match: match?.[0] }).toEqual({ name, match: undefined });
    }
  });

  it('identity.ts and storage.ts import their documents from lib/aws/policies.ts', () => {
    const policiesImport = /from '\.\.\/\.\.\/lib\/aws\/policies\.ts'/;
    for (const file of ['identity.ts', 'storage.ts']) {
      expect(sources.find(({ name }) => name === file)?.text).toMatch(policiesImport);
    }
  });
});
