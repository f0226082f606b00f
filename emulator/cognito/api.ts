import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context.ts';
import { readJson } from '../http.ts';
import { confirmForgotPassword, confirmSignUp, forgotPassword, resendSignUpCode, signUp } from './account.ts';
import { ADMIN_OPERATIONS } from './api-admin.ts';
import { initiateAuth } from './api-auth.ts';
import { type ApiInput, attributesOf, maskedEmail, requireClientWithSecretHash, required } from './api-input.ts';
import { ACCESS_TOKEN_OPERATIONS, USER_STATE_ADMIN_OPERATIONS } from './api-user.ts';
import { WEBAUTHN_OPERATIONS } from './api-webauthn.ts';
import { CognitoError } from './errors.ts';
import { findUser } from './users.ts';

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

function delivery(ctx: EmulatorContext, username: string) {
  const user = findUser(ctx, username);
  const email = user?.email ?? username;
  return { CodeDeliveryDetails: { Destination: maskedEmail(email), DeliveryMedium: 'EMAIL', AttributeName: 'email' } };
}

/** Public (app-client) operations; the access-token ones are in api-user.ts. */
const USER_OPERATIONS: Record<string, (ctx: EmulatorContext, input: ApiInput) => unknown> = {
  async SignUp(ctx, input) {
    const username = required(input, 'Username');
    requireClientWithSecretHash(ctx, input, username);
    const attributes = attributesOf(input, 'UserAttributes');
    const { email = username, ...rest } = attributes;
    if (email.toLowerCase() !== username.toLowerCase()) {
      throw new CognitoError('InvalidParameterException', 'Username should be an email.');
    }
    const user = await signUp(ctx, { email, password: required(input, 'Password'), attributes: rest });
    return { UserConfirmed: false, ...delivery(ctx, user.email), UserSub: user.sub };
  },
  ConfirmSignUp(ctx, input) {
    const username = required(input, 'Username');
    requireClientWithSecretHash(ctx, input, username);
    confirmSignUp(ctx, username, required(input, 'ConfirmationCode'));
    return {};
  },
  ResendConfirmationCode(ctx, input) {
    const username = required(input, 'Username');
    requireClientWithSecretHash(ctx, input, username);
    resendSignUpCode(ctx, username);
    return delivery(ctx, username);
  },
  ForgotPassword(ctx, input) {
    const username = required(input, 'Username');
    requireClientWithSecretHash(ctx, input, username);
    forgotPassword(ctx, username);
    return delivery(ctx, username);
  },
  async ConfirmForgotPassword(ctx, input) {
    const username = required(input, 'Username');
    requireClientWithSecretHash(ctx, input, username);
    await confirmForgotPassword(ctx, username, required(input, 'ConfirmationCode'), required(input, 'Password'));
    return {};
  },
  InitiateAuth: initiateAuth,
};

function sendAmzJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  res.end(JSON.stringify(body));
}

/**
 * The user-pool JSON 1.1 API: `POST /` with `X-Amz-Target: AWSCognitoIdentityProviderService.<Op>`.
 * Errors are `400 {"__type","message"}` (+ `x-amzn-errortype`), which the AWS SDK turns into typed
 * exceptions. SigV4 on admin calls is not verified. Returns false for other targets.
 */
export async function handleUserPoolApi(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext): Promise<boolean> {
  const target = req.headers['x-amz-target'];
  if (typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) return false;
  const name = target.slice(TARGET_PREFIX.length);
  const operation =
    USER_OPERATIONS[name] ??
    ACCESS_TOKEN_OPERATIONS[name] ??
    WEBAUTHN_OPERATIONS[name] ??
    ADMIN_OPERATIONS[name] ??
    USER_STATE_ADMIN_OPERATIONS[name];
  try {
    if (!operation) throw new CognitoError('UnknownOperationException', `Operation ${name} is not supported by the emulator.`);
    const input = await readJson(req);
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new CognitoError('SerializationException', 'Request body must be a JSON object.');
    }
    sendAmzJson(res, 200, await operation(ctx, input as ApiInput));
  } catch (error) {
    if (!(error instanceof CognitoError)) throw error;
    sendAmzJson(res, 400, { __type: error.type, message: error.message }, { 'x-amzn-errortype': `${error.type}:` });
  }
  return true;
}
