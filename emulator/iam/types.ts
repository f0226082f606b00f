/** IAM policy documents as JSON (the subset Cubby's role policies use, plus what IAM allows around it). */
export type StringOrList = string | string[];

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: StringOrList;
  NotAction?: StringOrList;
  Resource?: StringOrList;
  NotResource?: StringOrList;
  /** operator -> condition key -> value(s), e.g. { StringLike: { 's3:prefix': ['private/${cognito-identity.amazonaws.com:sub}/*'] } } */
  Condition?: Record<string, Record<string, StringOrList | boolean>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/** One request to authorize: what S3 action on which ARN, with the request's condition keys. */
export interface AuthorizationRequest {
  action: string;
  resource: string;
  /** Condition keys and policy variables, e.g. 'cognito-identity.amazonaws.com:sub', 's3:prefix'. */
  context: Record<string, string | string[] | undefined>;
}

/** 'ExplicitDeny' when a Deny statement matched; 'ImplicitDeny' when nothing allowed it. */
export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
