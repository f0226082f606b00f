/** IAM policy documents: the same types lib/aws/policies.ts defines (the one source of access). */
export type { PolicyDocument, PolicyStatement, StringOrList } from '../../lib/aws/policies.ts';

/** One request to authorize: what S3 action on which ARN, with the request's condition keys. */
export interface AuthorizationRequest {
  action: string;
  resource: string;
  /** Condition keys and policy variables, e.g. 'cognito-identity.amazonaws.com:sub', 's3:prefix'. */
  context: Record<string, string | string[] | undefined>;
}

/** 'ExplicitDeny' when a Deny statement matched; 'ImplicitDeny' when nothing allowed it. */
export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
