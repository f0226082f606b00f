import { CfnIdentityPool, CfnIdentityPoolRoleAttachment, CfnUserPoolGroup } from 'aws-cdk-lib/aws-cognito';
import { CfnRole } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  adminsRolePolicy,
  authenticatedRolePolicy,
  identityPoolTrustPolicy,
  type PolicyDocument,
  unauthenticatedRolePolicy,
} from '../../lib/aws/policies.ts';
import type { CubbyAuth } from './auth.ts';
import type { CubbyParams } from './params.ts';

/** The group whose role may remove any published file (lib/files/gallery.ts ADMINS_GROUP; the emulator seeds it too). */
export const ADMINS_GROUP = { name: 'admins', precedence: 1 } as const;

/** The name of each role's single inline policy. */
export const ROLE_POLICY_NAME = 'cubby-files';

/**
 * The Identity Pool that trades the client's ID tokens for credentials, and the three roles it hands
 * out. Every role document comes from lib/aws/policies.ts, the one the emulator enforces, with only
 * the bucket ARN and the pool id filled in.
 */
export class CubbyIdentity extends Construct {
  readonly identityPool: CfnIdentityPool;
  readonly authenticatedRole: CfnRole;
  readonly adminsRole: CfnRole;
  /** Only with guest access. */
  readonly unauthenticatedRole: CfnRole | undefined;

  constructor(scope: Construct, id: string, params: CubbyParams, auth: CubbyAuth, bucketArn: string) {
    super(scope, id);
    this.identityPool = new CfnIdentityPool(this, 'IdentityPool', {
      identityPoolName: params.stackName,
      allowUnauthenticatedIdentities: params.guestAccess,
      allowClassicFlow: false,
      cognitoIdentityProviders: [
        {
          providerName: auth.userPool.userPoolProviderName,
          clientId: auth.client.userPoolClientId,
          serverSideTokenCheck: true,
        },
      ],
    });
    const poolId = this.identityPool.ref;

    this.authenticatedRole = this.role(
      'AuthenticatedRole',
      identityPoolTrustPolicy(poolId, 'authenticated'),
      authenticatedRolePolicy(bucketArn),
    );
    this.adminsRole = this.role('AdminsRole', identityPoolTrustPolicy(poolId, 'authenticated'), adminsRolePolicy(bucketArn));
    this.unauthenticatedRole = params.guestAccess
      ? this.role('UnauthenticatedRole', identityPoolTrustPolicy(poolId, 'unauthenticated'), unauthenticatedRolePolicy(bucketArn))
      : undefined;

    new CfnUserPoolGroup(this, 'AdminsGroup', {
      userPoolId: auth.userPool.userPoolId,
      groupName: ADMINS_GROUP.name,
      precedence: ADMINS_GROUP.precedence,
      roleArn: this.adminsRole.attrArn,
      description: 'May remove any published file',
    });

    new CfnIdentityPoolRoleAttachment(this, 'Roles', {
      identityPoolId: poolId,
      roles: {
        authenticated: this.authenticatedRole.attrArn,
        ...(this.unauthenticatedRole ? { unauthenticated: this.unauthenticatedRole.attrArn } : {}),
      },
      // Token mapping: a member of `admins` gets cognito:preferred_role; everyone else the authenticated role.
      roleMappings: {
        userPool: {
          identityProvider: auth.identityProvider,
          type: 'Token',
          ambiguousRoleResolution: 'AuthenticatedRole',
        },
      },
    });
  }

  private role(id: string, trust: PolicyDocument, policy: PolicyDocument): CfnRole {
    return new CfnRole(this, id, {
      assumeRolePolicyDocument: trust,
      policies: [{ policyName: ROLE_POLICY_NAME, policyDocument: policy }],
    });
  }
}
