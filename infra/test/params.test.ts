import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../emulator/context.ts';
import { ParamsError, readParams } from '../lib/params.ts';

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';
const MINIMAL = { CUBBY_APP_URLS: 'https://cubby.example.org', CUBBY_DOMAIN_PREFIX: 'cubby-prod', CUBBY_REGION: 'eu-west-1' };

function read(env: Record<string, string | undefined>, context: Record<string, unknown> = {}) {
  return readParams({ context: (key) => context[key], env });
}

function problemsOf(env: Record<string, string | undefined>, context: Record<string, unknown> = {}): readonly string[] {
  try {
    read(env, context);
  } catch (error) {
    if (error instanceof ParamsError) return error.problems;
    throw error;
  }
  throw new Error('expected a ParamsError');
}

describe('readParams', () => {
  it('needs only app URLs, a domain and a region; the rest has defaults', () => {
    expect(read(MINIMAL)).toEqual({
      params: {
        stackName: 'Cubby',
        region: 'eu-west-1',
        appUrls: ['https://cubby.example.org'],
        domain: { kind: 'prefix', prefix: 'cubby-prod' },
        guestAccess: true,
        refreshTokenRotation: false,
        mfa: 'optional',
        bucketVersioning: false,
        federation: {},
        passkeyRelyingPartyId: 'cubby-prod.auth.eu-west-1.amazoncognito.com',
        emailSender: undefined,
      },
      exampleUsed: [],
    });
  });

  it("defaults the switches to the emulator's pool: guests allowed, no refresh-token rotation, optional MFA", () => {
    const { params } = read(MINIMAL);
    expect(params.guestAccess).toBe(DEFAULT_SETTINGS.allowGuests);
    expect(params.refreshTokenRotation).toBe(DEFAULT_SETTINGS.refreshTokenRotation);
    expect(params.mfa).toBe('optional');
  });

  it('prefers context over the environment and takes cdk.json booleans and lists', () => {
    const { params } = read(
      { ...MINIMAL, CUBBY_GUEST_ACCESS: 'true', CUBBY_STACK_NAME: 'FromEnv' },
      { guestAccess: false, appUrls: ['https://a.example.org', 'https://b.example.org'], stackName: 'Staging', mfa: 'off' },
    );
    expect(params).toMatchObject({
      guestAccess: false,
      stackName: 'Staging',
      mfa: 'off',
      appUrls: ['https://a.example.org', 'https://b.example.org'],
    });
  });

  it('falls back to the region the CDK CLI found', () => {
    expect(read({ ...MINIMAL, CUBBY_REGION: undefined, CDK_DEFAULT_REGION: 'ap-south-1' }).params.region).toBe('ap-south-1');
  });

  it('normalises app URLs to origins, comma- or space-separated, once each', () => {
    const { params } = read({
      ...MINIMAL,
      CUBBY_APP_URLS: 'https://cubby.example.org/, https://CUBBY.example.org http://localhost:3000',
    });
    expect(params.appUrls).toEqual(['https://cubby.example.org', 'http://localhost:3000']);
  });

  it.each([
    ['http://cubby.example.org', 'must use https'],
    ['https://cubby.example.org/app', 'must be an origin'],
    ['https://cubby.example.org?x=1', 'must be an origin'],
    ['https://user:pw@cubby.example.org', 'must be an origin'],
    ['cubby.example.org', 'is not an absolute URL'],
  ])('refuses the app URL %j', (url, message) => {
    const problems = problemsOf({ ...MINIMAL, CUBBY_APP_URLS: url });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('appUrls (CUBBY_APP_URLS)');
    expect(problems[0]).toContain(message);
  });

  it('takes a custom domain with a us-east-1 certificate', () => {
    const { params } = read({
      ...MINIMAL,
      CUBBY_DOMAIN_PREFIX: undefined,
      CUBBY_CUSTOM_DOMAIN: 'auth.cubby.example.org',
      CUBBY_CERTIFICATE_ARN: CERTIFICATE,
    });
    expect(params.domain).toEqual({ kind: 'custom', domainName: 'auth.cubby.example.org', certificateArn: CERTIFICATE });
  });

  it.each([
    [
      'both a prefix and a custom domain',
      { CUBBY_CUSTOM_DOMAIN: 'auth.example.org', CUBBY_CERTIFICATE_ARN: CERTIFICATE },
      'set one, not both',
    ],
    ['neither', { CUBBY_DOMAIN_PREFIX: undefined }, 'one is required'],
    [
      'a custom domain without certificate',
      { CUBBY_DOMAIN_PREFIX: undefined, CUBBY_CUSTOM_DOMAIN: 'auth.example.org' },
      'is required with a custom domain',
    ],
    [
      'a certificate outside us-east-1',
      {
        CUBBY_DOMAIN_PREFIX: undefined,
        CUBBY_CUSTOM_DOMAIN: 'auth.example.org',
        CUBBY_CERTIFICATE_ARN: CERTIFICATE.replace('us-east-1', 'eu-west-1'),
      },
      'in us-east-1',
    ],
    ['a certificate without custom domain', { CUBBY_CERTIFICATE_ARN: CERTIFICATE }, 'only goes with'],
    ['a prefix with capitals', { CUBBY_DOMAIN_PREFIX: 'Cubby' }, 'lowercase letters'],
    ['a prefix ending in a hyphen', { CUBBY_DOMAIN_PREFIX: 'cubby-' }, 'lowercase letters'],
    ['a reserved word in the prefix', { CUBBY_DOMAIN_PREFIX: 'my-cognito-login' }, 'refuses prefixes containing'],
    [
      'a bad custom domain',
      { CUBBY_DOMAIN_PREFIX: undefined, CUBBY_CUSTOM_DOMAIN: 'https://auth.example.org', CUBBY_CERTIFICATE_ARN: CERTIFICATE },
      'host name',
    ],
  ])('refuses %s', (_name, env, message) => {
    const problems = problemsOf({ ...MINIMAL, ...env });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
  });

  it.each([
    ['CUBBY_GUEST_ACCESS', 'yes', 'must be true or false'],
    ['CUBBY_REFRESH_TOKEN_ROTATION', '1', 'must be true or false'],
    ['CUBBY_BUCKET_VERSIONING', 'on', 'must be true or false'],
    ['CUBBY_MFA', 'required', 'must be off or optional'],
    ['CUBBY_REGION', 'Europe', 'must be an AWS region'],
    ['CUBBY_STACK_NAME', 'cubby_prod', 'letters, digits and hyphens'],
  ])('refuses %s=%j', (name, value, message) => {
    const problems = problemsOf({ ...MINIMAL, [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(name);
    expect(problems[0]).toContain(message);
  });

  it('accepts booleans in any case', () => {
    expect(read({ ...MINIMAL, CUBBY_BUCKET_VERSIONING: 'TRUE' }).params.bucketVersioning).toBe(true);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({ CUBBY_MFA: 'always' });
    expect(problems.map((problem) => problem.split(':')[0])).toEqual([
      'region (CUBBY_REGION)',
      'appUrls (CUBBY_APP_URLS)',
      'domainPrefix (CUBBY_DOMAIN_PREFIX) or customDomain (CUBBY_CUSTOM_DOMAIN)',
      'mfa (CUBBY_MFA)',
    ]);
  });

  it('fills only what is unset with example values when asked, and says which', () => {
    const { params, exampleUsed } = read({ CUBBY_APP_URLS: 'https://mine.example.org' }, { example: 'true' });
    expect(params.appUrls).toEqual(['https://mine.example.org']);
    expect(params.domain).toEqual({ kind: 'prefix', prefix: 'cubby-example' });
    expect(exampleUsed.sort()).toEqual(['domainPrefix', 'region']);
  });

  it('fills in no example prefix beside a custom domain', () => {
    const { params, exampleUsed } = read(
      { CUBBY_CUSTOM_DOMAIN: 'auth.example.org', CUBBY_CERTIFICATE_ARN: CERTIFICATE },
      { example: 'true' },
    );
    expect(params.domain.kind).toBe('custom');
    expect(exampleUsed).not.toContain('domainPrefix');
  });

  it('prefers the region the CDK CLI found over the example one', () => {
    const { params, exampleUsed } = read({ CDK_DEFAULT_REGION: 'eu-north-1' }, { example: 'true' });
    expect(params.region).toBe('eu-north-1');
    expect(exampleUsed).not.toContain('region');
  });

  it('uses no example values unless asked', () => {
    expect(problemsOf({}).length).toBeGreaterThan(0);
  });
});
