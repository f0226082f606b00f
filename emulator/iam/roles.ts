import { adminsRolePolicy, authenticatedRolePolicy, bucketArnOf, unauthenticatedRolePolicy } from '../../lib/aws/policies.ts';
import { ROLE_ARNS } from '../config.ts';
import type { EmulatorContext } from '../context.ts';
import type { PolicyDocument } from './types.ts';

/**
 * The identity policies attached to one of the emulator's roles, built from lib/aws/policies.ts
 * with the emulator's bucket ARN. An unknown role has none, so everything is denied.
 */
export function policiesForRole(ctx: EmulatorContext, roleArn: string): PolicyDocument[] {
  const bucketArn = bucketArnOf(ctx.config.bucket);
  switch (roleArn) {
    case ROLE_ARNS.authenticated:
      return [authenticatedRolePolicy(bucketArn)];
    case ROLE_ARNS.unauthenticated:
      return [unauthenticatedRolePolicy(bucketArn)];
    case ROLE_ARNS.admins:
      return [adminsRolePolicy(bucketArn)];
    default:
      return [];
  }
}
