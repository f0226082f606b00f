import { describe, expect, it } from 'vitest';
import {
  allowedPictureUrl,
  buttonProviders,
  defaultPictureOrigins,
  emailDomain,
  GOOGLE_PICTURE_ORIGIN,
  hasCompanyProviders,
  type IdentityProvider,
  parseIdentityProviders,
  resolveSignInChoice,
  signInPagePath,
} from '@/lib/auth/providers';
import { LOCAL_IDENTITY_PROVIDERS } from '@/lib/local-defaults';

function providersOf(value: string): IdentityProvider[] {
  const parsed = parseIdentityProviders(value);
  if ('problems' in parsed) throw new Error(parsed.problems.join('\n'));
  return parsed.providers;
}

function problemsOf(value: string): string[] {
  const parsed = parseIdentityProviders(value);
  return 'problems' in parsed ? parsed.problems : [];
}

const LOCAL = providersOf(LOCAL_IDENTITY_PROVIDERS);

describe('parseIdentityProviders', () => {
  it('reads names, display names and email domains', () => {
    expect(LOCAL).toEqual([
      { name: 'Google', displayName: 'Google', domains: [] },
      { name: 'Acme', displayName: 'Acme Corp', domains: ['acme.example'] },
      { name: 'Globex', displayName: 'Globex', domains: ['globex.example'] },
    ]);
  });

  it('defaults the display name to the name, lowercases and dedupes domains, trims spaces', () => {
    expect(providersOf(' Okta @Corp.Example@corp-eu.example@corp.example , Google ')).toEqual([
      { name: 'Okta', displayName: 'Okta', domains: ['corp.example', 'corp-eu.example'] },
      { name: 'Google', displayName: 'Google', domains: [] },
    ]);
    expect(providersOf('EntraID:Contoso: Staff only@contoso.example')).toEqual([
      { name: 'EntraID', displayName: 'Contoso: Staff only', domains: ['contoso.example'] },
    ]);
  });

  it('reads `none` as no provider', () => {
    expect(providersOf('none')).toEqual([]);
    expect(providersOf(' NONE ')).toEqual([]);
  });

  it.each([
    ['Google,', /entry 2 is empty/],
    [',Google', /entry 1 is empty/],
    [':Google', /entry 1: has no provider name/],
    ['COGNITO', /COGNITO is the email sign-in/],
    ['cognito:Email', /COGNITO is the email sign-in/],
    ['Go', /provider name must be 3 to 32 characters/],
    ['My IdP', /provider name must be 3 to 32 characters/],
    ['Acme_Corp', /provider name must be 3 to 32 characters/],
    ['_Acme', /provider name must be 3 to 32 characters/],
    ['A'.repeat(33), /provider name must be 3 to 32 characters/],
    ['Acme\u0000x', /provider name must be 3 to 32 characters/],
    ['Acme:', /display name must be 1 to 60 printable characters/],
    [`Acme:${'x'.repeat(61)}`, /display name must be 1 to 60/],
    ['Google:Google@gmail.com', /Google is a social provider/],
    ['Acme@', /has an empty @domain/],
    ['Acme@acme', /"acme" is not an email domain/],
    ['Acme@acme..example', /is not an email domain/],
    ['Acme@-acme.example', /is not an email domain/],
    ['Acme@acme.example/x', /is not an email domain/],
    ['Acme@acme.123', /is not an email domain/],
    [`Acme@${'a'.repeat(35)}.example`, /at most 40 characters/],
    ['Acme,Acme:Again', /entry 2 \(Acme\): the name is already used by entry 1/],
    ['Acme,acme', /entry 2 \(acme\): the name is already used by entry 1/],
    ['Acme@acme.example,Initech@ACME.example', /entry 2 \(Initech\): acme.example is already served by Acme/],
  ])('refuses %j', (value, message) => {
    expect(problemsOf(value)).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });

  it('reports every problem at once', () => {
    expect(problemsOf('Go,,COGNITO,Acme@nodot')).toHaveLength(4);
  });

  it('refuses more than 20 providers', () => {
    const many = Array.from({ length: 21 }, (_, index) => `Idp${index}`).join(',');
    expect(problemsOf(many)).toEqual(['lists 21 providers, at most 20']);
  });
});

describe('the sign-in page lists', () => {
  it('buttons for providers without domains, the company form for those with', () => {
    expect(buttonProviders(LOCAL).map((provider) => provider.name)).toEqual(['Google']);
    expect(hasCompanyProviders(LOCAL)).toBe(true);
    expect(hasCompanyProviders(providersOf('Google'))).toBe(false);
  });

  it('links back with the problem named', () => {
    expect(signInPagePath('/files')).toBe('/sign-in?returnTo=%2Ffiles');
    expect(signInPagePath('/files?q=a b', { problem: 'unknown_domain', domain: 'x.example' })).toBe(
      '/sign-in?returnTo=%2Ffiles%3Fq%3Da+b&problem=unknown_domain&domain=x.example',
    );
  });
});

describe('emailDomain', () => {
  it.each([
    ['jane@acme.example', 'acme.example'],
    ['  Jane.Doe+files@ACME.Example ', 'acme.example'],
    ['jane@mail.acme.example', 'mail.acme.example'],
    ['jane', null],
    ['@acme.example', null],
    ['jane@', null],
    ['jane@acme', null],
    ['jane@@acme.example', null],
    ['a@b@acme.example', null],
    ['jane@acme.example/evil', null],
    ['jane@acme.example?identity_provider=Evil', null],
  ])('%j → %j', (email, domain) => {
    expect(emailDomain(email)).toBe(domain);
  });
});

describe('resolveSignInChoice: only configured values reach Cognito', () => {
  it('sends no provider when none is asked for', () => {
    expect(resolveSignInChoice(LOCAL, {})).toEqual({ kind: 'managed' });
    expect(resolveSignInChoice(LOCAL, { provider: null, domain: null })).toEqual({ kind: 'managed' });
    expect(resolveSignInChoice(LOCAL, { provider: '', domain: '' })).toEqual({ kind: 'managed' });
  });

  it('maps a configured provider name to identity_provider', () => {
    expect(resolveSignInChoice(LOCAL, { provider: 'Google' })).toEqual({ kind: 'provider', provider: 'Google' });
    expect(resolveSignInChoice(LOCAL, { provider: 'Globex' })).toEqual({ kind: 'provider', provider: 'Globex' });
  });

  it('maps a configured domain, or an email at it, to idp_identifier', () => {
    const acme = { kind: 'domain', idpIdentifier: 'acme.example', provider: 'Acme' };
    expect(resolveSignInChoice(LOCAL, { domain: 'acme.example' })).toEqual(acme);
    expect(resolveSignInChoice(LOCAL, { domain: ' ACME.example ' })).toEqual(acme);
    expect(resolveSignInChoice(LOCAL, { domain: 'jane@acme.example' })).toEqual(acme);
    expect(resolveSignInChoice(LOCAL, { domain: 'globex.example' })).toEqual({
      kind: 'domain',
      idpIdentifier: 'globex.example',
      provider: 'Globex',
    });
  });

  it.each([
    'google',
    'GOOGLE',
    'Facebook',
    'COGNITO',
    'Google ',
    'Google&idp_identifier=acme.example',
    'Acme Corp',
    '../Google',
    'Evil',
  ])('refuses the provider %j', (provider) => {
    expect(resolveSignInChoice(LOCAL, { provider })).toEqual({ kind: 'refused', problem: 'unknown_provider' });
  });

  it('refuses any provider when none is configured', () => {
    expect(resolveSignInChoice([], { provider: 'Google' })).toEqual({ kind: 'refused', problem: 'unknown_provider' });
    expect(resolveSignInChoice([], { domain: 'acme.example' })).toEqual({
      kind: 'refused',
      problem: 'unknown_domain',
      domain: 'acme.example',
    });
  });

  it('refuses a provider and a domain together', () => {
    expect(resolveSignInChoice(LOCAL, { provider: 'Google', domain: 'acme.example' }).kind).toBe('refused');
  });

  it.each([
    ['initech.example', { kind: 'refused', problem: 'unknown_domain', domain: 'initech.example' }],
    ['sub.acme.example', { kind: 'refused', problem: 'unknown_domain', domain: 'sub.acme.example' }],
    ['acme.example.evil.example', { kind: 'refused', problem: 'unknown_domain', domain: 'acme.example.evil.example' }],
    ['jane@initech.example', { kind: 'refused', problem: 'unknown_domain', domain: 'initech.example' }],
    ['acme', { kind: 'refused', problem: 'invalid_email' }],
    ['acme.example&identity_provider=Evil', { kind: 'refused', problem: 'invalid_email' }],
    ['jane@', { kind: 'refused', problem: 'invalid_email' }],
  ])('refuses the domain %j', (domain, refused) => {
    expect(resolveSignInChoice(LOCAL, { domain })).toEqual(refused);
  });

  it('returns values taken from the configuration, never the request', () => {
    const target = resolveSignInChoice(LOCAL, { domain: 'JANE@ACME.EXAMPLE' });
    expect(target).toMatchObject({ idpIdentifier: 'acme.example' });
    const configured = new Set(LOCAL.flatMap((provider) => [provider.name, ...provider.domains]));
    for (const choice of [{ provider: 'Google' }, { provider: 'Acme' }, { domain: 'Globex.Example' }]) {
      const resolved = resolveSignInChoice(LOCAL, choice);
      const sent = resolved.kind === 'provider' ? resolved.provider : resolved.kind === 'domain' ? resolved.idpIdentifier : null;
      expect(configured.has(sent ?? '')).toBe(true);
    }
  });
});

describe('provider pictures', () => {
  it("allow Google's picture host only when Google is listed", () => {
    expect(defaultPictureOrigins(LOCAL)).toEqual([GOOGLE_PICTURE_ORIGIN]);
    expect(defaultPictureOrigins(providersOf('Acme@acme.example'))).toEqual([]);
  });

  it.each([
    ['https://lh3.googleusercontent.com/a/ACg8ocJ=s96-c', 'https://lh3.googleusercontent.com/a/ACg8ocJ=s96-c'],
    ['https://lh4.googleusercontent.com/a/x', null],
    ['https://lh3.googleusercontent.com.evil.example/a', null],
    ['http://lh3.googleusercontent.com/a', null],
    ['https://user@lh3.googleusercontent.com/a', null],
    ['javascript:alert(1)', null],
    ['data:image/png;base64,AAAA', null],
    ['/a/relative.png', null],
    [42, null],
    [undefined, null],
  ])('shows %j as %j', (url, shown) => {
    expect(allowedPictureUrl(url, [GOOGLE_PICTURE_ORIGIN])).toBe(shown);
  });

  it('allows nothing when no origin is configured', () => {
    expect(allowedPictureUrl('https://lh3.googleusercontent.com/a/x', [])).toBeNull();
  });
});
