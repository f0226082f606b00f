import type { EmulatorContext } from '../context.ts';
import { assertPolicy, globalSignOut, setPassword, setTotpPreference } from './account.ts';
import { adminInitiateAuth } from './api-auth.ts';
import { FEDERATION_ADMIN_OPERATIONS } from './api-federation.ts';
import { type ApiInput, attributesOf, optional, required, requirePool, userType } from './api-input.ts';
import { CognitoError } from './errors.ts';
import { matchesFilter, parseUserFilter } from './list-users-filter.ts';
import { hashPassword, temporaryPassword } from './password.ts';
import { addUser, attributeList, deleteUser, directory, groupsOf, requireUser, type StoredGroup, touch } from './users.ts';

/** Attributes the pool manages itself; AdminCreateUser takes email and email_verified from the list too. */
const MANAGED = new Set(['sub', 'email', 'email_verified']);

async function adminCreateUser(ctx: EmulatorContext, input: ApiInput) {
  requirePool(ctx, input);
  const username = required(input, 'Username');
  const attributes = attributesOf(input, 'UserAttributes');
  const action = optional(input, 'MessageAction');
  if (action === 'RESEND')
    throw new CognitoError('InvalidParameterException', 'MessageAction RESEND is not supported by the emulator.');
  const password = optional(input, 'TemporaryPassword') ?? temporaryPassword();
  assertPolicy(password);
  const extra = Object.fromEntries(Object.entries(attributes).filter(([name]) => !MANAGED.has(name)));
  const user = addUser(ctx, {
    email: attributes.email ?? username,
    passwordHash: await hashPassword(password),
    status: 'FORCE_CHANGE_PASSWORD',
    emailVerified: attributes.email_verified === 'true',
    attributes: extra,
  });
  if (action !== 'SUPPRESS') {
    ctx.sendMail(
      user.email,
      'Your temporary password',
      `Your username is ${user.email} and temporary password is ${password}.`,
      password,
    );
  }
  return { User: userType(user) };
}

async function adminSetUserPassword(ctx: EmulatorContext, input: ApiInput) {
  requirePool(ctx, input);
  const user = requireUser(ctx, required(input, 'Username'));
  await setPassword(ctx, user, required(input, 'Password'), input.Permanent === true);
  return {};
}

function adminConfirmSignUp(ctx: EmulatorContext, input: ApiInput) {
  requirePool(ctx, input);
  const user = requireUser(ctx, required(input, 'Username'));
  if (user.status !== 'UNCONFIRMED') {
    throw new CognitoError('NotAuthorizedException', `User cannot be confirmed. Current status is ${user.status}`);
  }
  user.status = 'CONFIRMED';
  user.signUpCode = null;
  touch(ctx, user);
  return {};
}

function adminGetUser(ctx: EmulatorContext, input: ApiInput) {
  requirePool(ctx, input);
  const user = requireUser(ctx, required(input, 'Username'));
  const totp = user.totp?.enabled
    ? { PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA', UserMFASettingList: ['SOFTWARE_TOKEN_MFA'] }
    : {};
  return {
    Username: user.username,
    UserAttributes: attributeList(user),
    UserCreateDate: user.createdAt / 1000,
    UserLastModifiedDate: user.modifiedAt / 1000,
    Enabled: user.enabled,
    UserStatus: user.status,
    ...totp,
  };
}

function adminDeleteUser(ctx: EmulatorContext, input: ApiInput) {
  requirePool(ctx, input);
  const user = requireUser(ctx, required(input, 'Username'));
  globalSignOut(ctx, user);
  deleteUser(ctx, user);
  return {};
}

function listUsers(ctx: EmulatorContext, input: ApiInput) {
  requirePool(ctx, input);
  const filter = parseUserFilter(optional(input, 'Filter'));
  const limit = typeof input.Limit === 'number' ? input.Limit : 60;
  if (!Number.isInteger(limit) || limit < 0 || limit > 60) {
    throw new CognitoError('InvalidParameterException', 'Limit must be between 0 and 60.');
  }
  const start = Number.parseInt(Buffer.from(optional(input, 'PaginationToken') ?? '', 'base64url').toString() || '0', 10) || 0;
  const matching = Object.values(directory(ctx).users)
    .filter((user) => matchesFilter(user, filter))
    .sort((a, b) => a.createdAt - b.createdAt || a.username.localeCompare(b.username));
  const page = matching.slice(start, start + (limit || 60));
  const next = start + page.length < matching.length ? Buffer.from(String(start + page.length)).toString('base64url') : undefined;
  return { Users: page.map(userType), ...(next ? { PaginationToken: next } : {}) };
}

function createGroup(ctx: EmulatorContext, input: ApiInput) {
  requirePool(ctx, input);
  const name = required(input, 'GroupName');
  const { groups } = directory(ctx);
  if (groups[name]) throw new CognitoError('GroupExistsException', `A group with the name ${name} already exists.`);
  const precedence = input.Precedence;
  if (precedence !== undefined && (typeof precedence !== 'number' || !Number.isInteger(precedence) || precedence < 0)) {
    throw new CognitoError('InvalidParameterException', 'Precedence must be a non-negative integer.');
  }
  const now = ctx.clock.now();
  const group = {
    name,
    description: optional(input, 'Description') ?? null,
    roleArn: optional(input, 'RoleArn') ?? null,
    precedence: precedence ?? null,
    createdAt: now,
    modifiedAt: now,
  };
  groups[name] = group;
  ctx.state.changed();
  return { Group: groupType(ctx, group) };
}

/** Cognito's GroupType; dates are epoch seconds. */
function groupType(ctx: EmulatorContext, group: StoredGroup) {
  return {
    GroupName: group.name,
    UserPoolId: ctx.config.userPoolId,
    ...(group.description !== null ? { Description: group.description } : {}),
    ...(group.roleArn !== null ? { RoleArn: group.roleArn } : {}),
    ...(group.precedence !== null ? { Precedence: group.precedence } : {}),
    LastModifiedDate: group.modifiedAt / 1000,
    CreationDate: group.createdAt / 1000,
  };
}

/** The user's groups, in token order (one page: the emulator never has more than fit in one). */
function adminListGroupsForUser(ctx: EmulatorContext, input: ApiInput) {
  requirePool(ctx, input);
  const user = requireUser(ctx, required(input, 'Username'));
  return { Groups: groupsOf(ctx, user).map((group) => groupType(ctx, group)) };
}

function adminAddUserToGroup(ctx: EmulatorContext, input: ApiInput) {
  requirePool(ctx, input);
  const name = required(input, 'GroupName');
  const user = requireUser(ctx, required(input, 'Username'));
  if (!directory(ctx).groups[name]) throw new CognitoError('ResourceNotFoundException', 'Group not found.');
  if (!user.groups.includes(name)) user.groups.push(name);
  touch(ctx, user);
  return {};
}

function adminUserGlobalSignOut(ctx: EmulatorContext, input: ApiInput) {
  requirePool(ctx, input);
  globalSignOut(ctx, requireUser(ctx, required(input, 'Username')));
  return {};
}

function adminSetUserMfaPreference(ctx: EmulatorContext, input: ApiInput) {
  requirePool(ctx, input);
  const user = requireUser(ctx, required(input, 'Username'));
  const settings = input.SoftwareTokenMfaSettings as { Enabled?: unknown } | undefined;
  if (settings && typeof settings.Enabled === 'boolean') setTotpPreference(ctx, user, settings.Enabled);
  return {};
}

/** Admin operations (IAM-authorised on AWS; the emulator does not check SigV4 on them). */
export const ADMIN_OPERATIONS: Record<string, (ctx: EmulatorContext, input: ApiInput) => unknown> = {
  AdminCreateUser: adminCreateUser,
  AdminSetUserPassword: adminSetUserPassword,
  AdminConfirmSignUp: adminConfirmSignUp,
  AdminGetUser: adminGetUser,
  AdminDeleteUser: adminDeleteUser,
  ListUsers: listUsers,
  CreateGroup: createGroup,
  AdminAddUserToGroup: adminAddUserToGroup,
  AdminListGroupsForUser: adminListGroupsForUser,
  AdminInitiateAuth: adminInitiateAuth,
  AdminUserGlobalSignOut: adminUserGlobalSignOut,
  AdminSetUserMFAPreference: adminSetUserMfaPreference,
  ...FEDERATION_ADMIN_OPERATIONS,
};
