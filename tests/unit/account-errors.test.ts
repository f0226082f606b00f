import {
  AliasExistsException,
  CodeMismatchException,
  CognitoIdentityProviderServiceException,
  EnableSoftwareTokenMFAException,
  ExpiredCodeException,
  InvalidPasswordException,
  LimitExceededException,
  NotAuthorizedException,
} from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { accountErrorOf } from '@/lib/aws/user-pool';
import { AppError, userMessage } from '@/lib/errors';

const meta = { $metadata: {} };

describe('accountErrorOf', () => {
  it.each([
    [new NotAuthorizedException({ ...meta, message: 'Incorrect username or password.' }), 'wrong_password'],
    [new NotAuthorizedException({ ...meta, message: 'Access Token has been revoked' }), 'session_ended'],
    [new NotAuthorizedException({ ...meta, message: 'Access Token has expired' }), 'session_ended'],
    [new NotAuthorizedException({ ...meta, message: 'Access Token does not have required scopes' }), 'session_ended'],
    [
      new InvalidPasswordException({ ...meta, message: 'Password did not conform with policy: Password not long enough' }),
      'weak_password',
    ],
    [new CodeMismatchException({ ...meta, message: 'Invalid verification code provided, please try again.' }), 'code_mismatch'],
    [new EnableSoftwareTokenMFAException({ ...meta, message: 'Code mismatch' }), 'code_mismatch'],
    [new ExpiredCodeException({ ...meta, message: 'Invalid code provided, please request a code again.' }), 'code_expired'],
    [new AliasExistsException({ ...meta, message: 'An account with the given email already exists.' }), 'email_taken'],
    [new LimitExceededException({ ...meta, message: 'Attempt limit exceeded, please try after some time.' }), 'rate_limited'],
  ])('maps %s to its code', (error, code) => {
    const mapped = accountErrorOf(error, 'ChangePassword');
    expect(mapped.code).toBe(code);
    expect(mapped.cause).toBe(error);
  });

  it('never shows Cognito wording to a person', () => {
    const error = new InvalidPasswordException({ ...meta, message: 'Password did not conform with policy: <b>x</b>' });
    expect(userMessage(accountErrorOf(error).code)).not.toMatch(/conform/);
  });

  it('calls server faults, timeouts and network errors idp_unavailable, unknown client errors internal', () => {
    const server = new CognitoIdentityProviderServiceException({ ...meta, name: 'InternalErrorException', $fault: 'server' });
    expect(accountErrorOf(server).code).toBe('idp_unavailable');
    const timeout = Object.assign(new Error('Request timed out'), { name: 'TimeoutError' });
    expect(accountErrorOf(timeout).code).toBe('idp_unavailable');
    expect(accountErrorOf(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).code).toBe(
      'idp_unavailable',
    );
    const unknown = new CognitoIdentityProviderServiceException({ ...meta, name: 'SomethingNewException', $fault: 'client' });
    expect(accountErrorOf(unknown).code).toBe('internal');
  });

  it('passes an AppError through unchanged', () => {
    const error = new AppError('store_unavailable');
    expect(accountErrorOf(error)).toBe(error);
  });
});
