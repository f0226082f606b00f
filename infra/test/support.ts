import { App, CfnElement, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { CubbyStack } from '../lib/cubby-stack.ts';
import type { CubbyParams } from '../lib/params.ts';

/** Parameters of a plausible production deployment; tests override what they look at. */
export const BASE_PARAMS: CubbyParams = {
  stackName: 'CubbyTest',
  region: 'eu-west-1',
  appUrls: ['https://cubby.example.org', 'https://staging.cubby.example.org'],
  domain: { kind: 'prefix', prefix: 'cubby-test' },
  guestAccess: true,
  refreshTokenRotation: false,
  mfa: 'optional',
  bucketVersioning: false,
  federation: {},
  passkeyRelyingPartyId: 'cubby-test.auth.eu-west-1.amazoncognito.com',
  emailSender: undefined,
};

/** Synthesises the stack for `overrides` and returns it with its template. */
export function synth(overrides: Partial<CubbyParams> = {}): { stack: CubbyStack; template: Template } {
  const app = new App();
  const stack = new CubbyStack(app, { ...BASE_PARAMS, ...overrides });
  return { stack, template: Template.fromStack(stack) };
}

/** The logical id of a CloudFormation element, or of an L2 construct's main resource. */
export function logicalId(stack: Stack, construct: IConstruct | undefined): string {
  const element = construct instanceof CfnElement ? construct : construct?.node.defaultChild;
  if (!(element instanceof CfnElement)) throw new Error(`${construct?.node.path ?? 'undefined'} has no CloudFormation resource`);
  return stack.getLogicalId(element);
}

export interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
}

/** The one resource of `type` (fails the test when there are none or several). */
export function only(template: Template, type: string): { id: string; resource: CfnResource } {
  const found = Object.entries(template.findResources(type) as Record<string, CfnResource>);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  const [entry] = found;
  if (!entry) throw new Error(`expected one ${type}`);
  return { id: entry[0], resource: entry[1] };
}

/** Every IAM role of the template, by logical id. */
export function roles(template: Template): Record<string, CfnResource> {
  return template.findResources('AWS::IAM::Role') as Record<string, CfnResource>;
}

/**
 * Evaluates the intrinsics CDK writes into policy documents (Fn::Join, Fn::GetAtt, Ref) with
 * concrete values, e.g. `{ 'Bucket.Arn': 'arn:aws:s3:::b', Pool: 'eu-west-1:x' }`, so a
 * synthesised document can be compared with the plain one lib/aws/policies.ts builds.
 * Unknown references or intrinsics throw, so nothing is silently left unresolved.
 */
export function evaluate(value: unknown, refs: Readonly<Record<string, string>>): unknown {
  if (Array.isArray(value)) return value.map((item) => evaluate(item, refs));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const [first] = entries;
  if (entries.length === 1 && first && (first[0].startsWith('Fn::') || first[0] === 'Ref')) {
    return intrinsic(first[0], first[1], refs);
  }
  return Object.fromEntries(entries.map(([key, item]) => [key, evaluate(item, refs)]));
}

function intrinsic(name: string, argument: unknown, refs: Readonly<Record<string, string>>): string {
  const lookup = (key: string) => {
    const found = refs[key];
    if (found === undefined) throw new Error(`no value for ${key}`);
    return found;
  };
  if (name === 'Ref' && typeof argument === 'string') return lookup(argument);
  if (name === 'Fn::GetAtt' && Array.isArray(argument)) return lookup(argument.join('.'));
  if (name === 'Fn::Join' && Array.isArray(argument)) {
    const [separator, parts] = argument;
    if (typeof separator === 'string' && Array.isArray(parts)) {
      return parts.map((part) => String(evaluate(part, refs))).join(separator);
    }
  }
  throw new Error(`cannot evaluate ${name} ${JSON.stringify(argument)}`);
}
