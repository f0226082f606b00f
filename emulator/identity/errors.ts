import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** Identity Pool error types and the messages Cognito is observed to send (wire facts §5.3). */
export class IdentityError extends Error {
  readonly type: string;
  readonly status: number;
  constructor(type: string, message: string, status = 400) {
    super(message);
    this.type = type;
    this.status = status;
  }
}

export const MESSAGES = {
  badSignature: "Invalid login token. Couldn't verify signed token.",
  issuerMismatch: "Invalid login token. Issuer doesn't match providerName",
  missingAud: 'Invalid login token. Missing a required claim: aud',
  notIdToken: 'Invalid login token. Not a valid OpenId Connect identity token.',
  unsupportedProvider: 'Token is not from a supported provider of this identity pool.',
  noGuests: 'Unauthenticated access is not supported for this identity pool.',
  loginsMismatch: "Logins don't match. Please include at least one valid login for this identity or identity pool.",
  roleNotInToken: 'Invalid CustomRoleArn: the role is not in the cognito:roles claim of the token.',
  /** ServerSideTokenCheck refused the token (signed out globally, deleted, disabled); our wording, AWS's is undocumented. */
  tokenRevoked: 'Invalid login token. Token has been revoked or its user no longer exists.',
} as const;

export function tokenExpired(now: number, exp: number): string {
  return `Invalid login token. Token expired: ${now} >= ${exp}`;
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date',
};

/** A JSON 1.1 answer; `body` is already serialised (Expiration needs E-notation). */
export function sendAmzJson(res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': randomUUID(),
    ...CORS,
    ...extra,
  });
  res.end(body);
}

export function sendIdentityError(res: ServerResponse, error: IdentityError): void {
  sendAmzJson(res, error.status, JSON.stringify({ __type: error.type, message: error.message }), {
    'x-amzn-errortype': `${error.type}:`,
    'x-amzn-errormessage': error.message,
  });
}

/** Answers a browser's CORS preflight for the JSON API. */
export function sendPreflight(res: ServerResponse): void {
  res.writeHead(200, {
    ...CORS,
    'access-control-allow-methods': 'POST',
    'access-control-allow-headers': 'content-type,x-amz-target,x-amz-user-agent,amz-sdk-invocation-id,amz-sdk-request',
    'access-control-max-age': '86400',
  });
  res.end();
}
