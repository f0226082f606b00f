import { CognitoError } from './errors.ts';
import type { StoredUser } from './users.ts';

/** A parsed ListUsers `Filter`: `attribute = "value"` (exact) or `attribute ^= "value"` (prefix). */
export interface UserFilter {
  attribute: string;
  prefix: boolean;
  value: string;
}

const FILTERABLE = new Set([
  'username',
  'email',
  'phone_number',
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'cognito:user_status',
  'status',
  'sub',
]);

/** Parses a ListUsers filter; an empty one is null. Throws InvalidParameterException like Cognito. */
export function parseUserFilter(filter: string | undefined): UserFilter | null {
  if (filter === undefined || filter.trim() === '') return null;
  const match = /^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(filter);
  if (!match?.[1] || !match[2] || match[3] === undefined)
    throw new CognitoError('InvalidParameterException', 'Error while parsing filter.');
  const attribute = match[1];
  if (!FILTERABLE.has(attribute)) throw new CognitoError('InvalidParameterException', 'Invalid search attribute');
  return { attribute, prefix: match[2] === '^=', value: match[3].replace(/\\(.)/g, '$1') };
}

function attributeValue(user: StoredUser, attribute: string): string | undefined {
  switch (attribute) {
    case 'username':
      return user.username;
    case 'email':
      return user.email;
    case 'sub':
      return user.sub;
    case 'status':
      return user.enabled ? 'Enabled' : 'Disabled';
    case 'cognito:user_status':
      return user.status;
    default:
      return user.attributes[attribute];
  }
}

/** Whether `user` passes `filter` (null passes everyone). Email compares case-insensitively. */
export function matchesFilter(user: StoredUser, filter: UserFilter | null): boolean {
  if (!filter) return true;
  const actual = attributeValue(user, filter.attribute);
  if (actual === undefined) return false;
  const wanted = filter.attribute === 'email' ? filter.value.toLowerCase() : filter.value;
  return filter.prefix ? actual.startsWith(wanted) : actual === wanted;
}
