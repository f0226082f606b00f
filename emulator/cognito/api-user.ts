import type { EmulatorContext } from '../context.ts';
import {
  associateTotp,
  changePassword,
  forgetChangePasswordFailures,
  globalSignOut,
  setTotpPreference,
  verifyTotp,
} from './account.ts';
import { type ApiInput, attributesOf, optional, required, requirePool, userOfAccessToken } from './api-input.ts';
import { CognitoError } from './errors.ts';
import {
  forgetAttributeCodes,
  getAttributeVerificationCode,
  updateUserAttributes,
  verifyUserAttribute,
} from './user-attributes.ts';
import { attributeList, deleteUser, requireUser, touch } from './users.ts';

/**
 * The token-authorized user operations: a person acting on their own account with an access
 * token carrying `aws.cognito.signin.user.admin` (checked online by {@link userOfAccessToken}:
 * expiry, revocation, global sign-out, the user present and enabled, the scope).
 */

/** The request's `UserAttributes` list, required as Cognito requires it. */
function userAttributes(input: ApiInput): Record<string, string> {
  if (!Array.isArray(input.UserAttributes)) {
    throw new CognitoError(
      'InvalidParameterException',
      "1 validation error detected: Value null at 'userAttributes' failed to satisfy constraint: Member must not be null",
    );
  }
  return attributesOf(input, 'UserAttributes');
}

export const ACCESS_TOKEN_OPERATIONS: Record<string, (ctx: EmulatorContext, input: ApiInput) => unknown> = {
  async GetUser(ctx, input) {
    const user = await userOfAccessToken(ctx, input);
    const totp = user.totp?.enabled
      ? { PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA', UserMFASettingList: ['SOFTWARE_TOKEN_MFA'] }
      : {};
    return { Username: user.username, UserAttributes: attributeList(user), ...totp };
  },
  async UpdateUserAttributes(ctx, input) {
    const user = await userOfAccessToken(ctx, input);
    return updateUserAttributes(ctx, user, userAttributes(input));
  },
  async GetUserAttributeVerificationCode(ctx, input) {
    const user = await userOfAccessToken(ctx, input);
    return getAttributeVerificationCode(ctx, user, required(input, 'AttributeName'));
  },
  async VerifyUserAttribute(ctx, input) {
    const user = await userOfAccessToken(ctx, input);
    verifyUserAttribute(ctx, user, required(input, 'AttributeName'), required(input, 'Code'));
    return {};
  },
  async ChangePassword(ctx, input) {
    const user = await userOfAccessToken(ctx, input);
    await changePassword(ctx, user, optional(input, 'PreviousPassword'), required(input, 'ProposedPassword'));
    return {};
  },
  async GlobalSignOut(ctx, input) {
    globalSignOut(ctx, await userOfAccessToken(ctx, input));
    return {};
  },
  async DeleteUser(ctx, input) {
    const user = await userOfAccessToken(ctx, input);
    globalSignOut(ctx, user);
    forgetAttributeCodes(ctx, user);
    forgetChangePasswordFailures(ctx, user);
    deleteUser(ctx, user);
    return {};
  },
  async AssociateSoftwareToken(ctx, input) {
    const user = await userOfAccessToken(ctx, input);
    return { SecretCode: associateTotp(ctx, user) };
  },
  async VerifySoftwareToken(ctx, input) {
    const user = await userOfAccessToken(ctx, input);
    verifyTotp(ctx, user, required(input, 'UserCode'));
    return { Status: 'SUCCESS' };
  },
  async SetUserMFAPreference(ctx, input) {
    const user = await userOfAccessToken(ctx, input);
    const settings = input.SoftwareTokenMfaSettings as { Enabled?: unknown } | undefined;
    if (settings && typeof settings.Enabled === 'boolean') setTotpPreference(ctx, user, settings.Enabled);
    return {};
  },
};

/**
 * AdminDisableUser / AdminEnableUser (IAM-authorised on AWS, unchecked here). Disabling revokes
 * every token of the user, as Cognito documents; a disabled user cannot sign in, and its tokens
 * get "User is disabled." from the token-authorized operations.
 */
export const USER_STATE_ADMIN_OPERATIONS: Record<string, (ctx: EmulatorContext, input: ApiInput) => unknown> = {
  AdminDisableUser(ctx, input) {
    requirePool(ctx, input);
    const user = requireUser(ctx, required(input, 'Username'));
    user.enabled = false;
    globalSignOut(ctx, user);
    touch(ctx, user);
    return {};
  },
  AdminEnableUser(ctx, input) {
    requirePool(ctx, input);
    const user = requireUser(ctx, required(input, 'Username'));
    user.enabled = true;
    touch(ctx, user);
    return {};
  },
};
