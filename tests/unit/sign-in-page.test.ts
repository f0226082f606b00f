import { describe, expect, it } from 'vitest';
import { GOOGLE_PICTURE_ORIGIN, parseIdentityProviders } from '@/lib/auth/providers';
import { primaryIdentity, signInMethodFromClaims } from '@/lib/auth/sign-in-method';
import { signInPage } from '@/lib/auth/sign-in-page';
import { LOCAL_IDENTITY_PROVIDERS } from '@/lib/local-defaults';

const parsed = parseIdentityProviders(LOCAL_IDENTITY_PROVIDERS);
const LOCAL = 'providers' in parsed ? parsed.providers : [];

describe('signInMethodFromClaims (the profile\'s "Signed in with")', () => {
  const google = {
    userId: '104925370458122223344',
    providerName: 'Google',
    providerType: 'Google',
    issuer: null,
    primary: 'true',
    dateCreated: '1642699117273',
  };

  it('names a native user\'s sign-in "Email and password", with no provider picture', () => {
    expect(
      signInMethodFromClaims({ sub: 'x', picture: 'https://lh3.googleusercontent.com/a/x' }, LOCAL, [GOOGLE_PICTURE_ORIGIN]),
    ).toEqual({
      providerName: null,
      label: 'Email and password',
      pictureUrl: null,
    });
  });

  it('names the provider from the identities claim, by its display name, with its picture from an allowed origin', () => {
    const claims = { identities: [google], picture: 'https://lh3.googleusercontent.com/a/ACg8oc=s96-c' };
    expect(signInMethodFromClaims(claims, LOCAL, [GOOGLE_PICTURE_ORIGIN])).toEqual({
      providerName: 'Google',
      label: 'Google',
      pictureUrl: 'https://lh3.googleusercontent.com/a/ACg8oc=s96-c',
    });
    expect(
      signInMethodFromClaims({ identities: [{ ...google, providerName: 'Acme', providerType: 'OIDC' }] }, LOCAL, []),
    ).toMatchObject({
      label: 'Acme Corp',
      pictureUrl: null,
    });
    expect(signInMethodFromClaims(claims, LOCAL, []).pictureUrl).toBeNull();
  });

  it('takes the primary identity, reads the claim as JSON text too, and falls back to the pool name', () => {
    const saml = { ...google, providerName: 'Globex', providerType: 'SAML', primary: 'false' };
    expect(primaryIdentity([saml, google])).toBe('Google');
    expect(primaryIdentity([saml])).toBe('Globex');
    expect(primaryIdentity(JSON.stringify([google]))).toBe('Google');
    expect(signInMethodFromClaims({ identities: [{ providerName: 'Okta' }] }, LOCAL, []).label).toBe('Okta');
  });

  it.each([[undefined], [null], [[]], ['not json'], [{ providerName: 'Google' }], [[{ providerName: '' }]], [[{ userId: '1' }]]])(
    'treats identities %j as a native sign-in',
    (identities) => {
      expect(primaryIdentity(identities)).toBeNull();
    },
  );
});

describe('signInPage (what /sign-in shows, with the local providers)', () => {
  it('offers a Google link, the company form and email sign-in, each keeping returnTo', () => {
    const page = signInPage({ returnTo: '/profile' });
    expect(page.returnTo).toBe('/profile');
    expect(page.buttons).toEqual([
      { name: 'Google', label: 'Continue with Google', href: '/auth/login?provider=Google&returnTo=%2Fprofile' },
    ]);
    expect(page.company).toBe(true);
    expect(page.emailHref).toBe('/auth/login?returnTo=%2Fprofile');
    expect(page.problem).toBeNull();
  });

  it('keeps returnTo safe', () => {
    expect(signInPage({ returnTo: 'https://evil.example/' }).returnTo).toBe('/files');
    expect(signInPage({ returnTo: ['/a', '/b'] }).returnTo).toBe('/files');
  });

  it('words a refused choice, showing only a well-formed domain', () => {
    expect(signInPage({ problem: 'unknown_domain', domain: 'initech.example' }).problem).toBe(
      'No company sign-in is set up for initech.example. Check the address, or sign in with email.',
    );
    expect(signInPage({ problem: 'unknown_domain', domain: '<script>.example' }).problem).toBe(
      'No company sign-in is set up for that address. Check the address, or sign in with email.',
    );
    expect(signInPage({ problem: 'unknown_provider' }).problem).toMatch(/not available here/);
    expect(signInPage({ problem: 'something else' }).problem).toBeNull();
  });

  it('without JavaScript, finds the provider for a typed email, or says why not', () => {
    expect(signInPage({ email: 'jane@acme.example', returnTo: '/files' }).companyMatch).toEqual({
      label: 'Continue with Acme Corp',
      href: '/auth/login?domain=acme.example&returnTo=%2Ffiles',
    });
    expect(signInPage({ email: 'ian@initech.example' })).toMatchObject({
      companyMatch: null,
      problem: expect.stringMatching(/initech\.example/),
    });
    expect(signInPage({ email: 'not an email' }).problem).toMatch(/does not look like an email address/);
  });
});
