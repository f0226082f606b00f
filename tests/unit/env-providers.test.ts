import { describe, expect, it } from 'vitest';
import { GOOGLE_PICTURE_ORIGIN } from '@/lib/auth/providers';
import { ENV_VARIABLES, parseEnv } from '@/lib/env';
import { LOCAL_EMULATOR_ORIGIN } from '@/lib/local-defaults';
import { PRODUCTION, problems } from '../fixtures/env';

describe('IDENTITY_PROVIDERS', () => {
  it('is unset in production: email sign-in only, and no picture origin', () => {
    const env = parseEnv(PRODUCTION);
    expect(env.IDENTITY_PROVIDERS).toEqual([]);
    expect(env.IDENTITY_PICTURE_ORIGINS).toEqual([]);
  });

  it("outside production defaults to the emulator's three providers and pictures from the emulator", () => {
    const env = parseEnv({});
    expect(env.IDENTITY_PROVIDERS.map((provider) => provider.name)).toEqual(['Google', 'Acme', 'Globex']);
    expect(env.IDENTITY_PROVIDERS.find((provider) => provider.name === 'Acme')?.domains).toEqual(['acme.example']);
    expect(env.IDENTITY_PROVIDERS.find((provider) => provider.name === 'Globex')?.domains).toEqual(['globex.example']);
    expect(env.IDENTITY_PICTURE_ORIGINS).toEqual([LOCAL_EMULATOR_ORIGIN]);
  });

  it('`none` turns providers off outside production too (a development server against real AWS)', () => {
    expect(parseEnv({ IDENTITY_PROVIDERS: 'none', IDENTITY_PICTURE_ORIGINS: 'none' })).toMatchObject({
      IDENTITY_PROVIDERS: [],
      IDENTITY_PICTURE_ORIGINS: [],
    });
  });

  it("parses a production list; Google's picture host is allowed when Google is listed", () => {
    const env = parseEnv({ ...PRODUCTION, IDENTITY_PROVIDERS: 'Google:Google,Okta:Initech@initech.example' });
    expect(env.IDENTITY_PROVIDERS).toEqual([
      { name: 'Google', displayName: 'Google', domains: [] },
      { name: 'Okta', displayName: 'Initech', domains: ['initech.example'] },
    ]);
    expect(env.IDENTITY_PICTURE_ORIGINS).toEqual([GOOGLE_PICTURE_ORIGIN]);
  });

  it('lists no picture origin for providers other than Google unless configured', () => {
    expect(parseEnv({ ...PRODUCTION, IDENTITY_PROVIDERS: 'Okta@initech.example' }).IDENTITY_PICTURE_ORIGINS).toEqual([]);
    expect(
      parseEnv({
        ...PRODUCTION,
        IDENTITY_PROVIDERS: 'Google',
        IDENTITY_PICTURE_ORIGINS: 'https://pictures.initech.example/, https://lh3.googleusercontent.com',
      }).IDENTITY_PICTURE_ORIGINS,
    ).toEqual(['https://pictures.initech.example', GOOGLE_PICTURE_ORIGIN]);
    expect(
      parseEnv({ ...PRODUCTION, IDENTITY_PROVIDERS: 'Google', IDENTITY_PICTURE_ORIGINS: 'none' }).IDENTITY_PICTURE_ORIGINS,
    ).toEqual([]);
  });

  it('stops the server at boot on a bad list, naming each problem', () => {
    const found = problems({ ...PRODUCTION, IDENTITY_PROVIDERS: 'Google,Google,Acme@acme,COGNITO' });
    expect(found).toEqual([
      'IDENTITY_PROVIDERS: entry 2 (Google): the name is already used by entry 1',
      'IDENTITY_PROVIDERS: entry 3 (Acme): "acme" is not an email domain such as example.com (at most 40 characters)',
      'IDENTITY_PROVIDERS: entry 4 (COGNITO): COGNITO is the email sign-in, always offered: do not list it',
    ]);
  });

  it('refuses a bad list outside production too', () => {
    expect(problems({ IDENTITY_PROVIDERS: 'My Provider' })).toEqual([
      expect.stringMatching(/^IDENTITY_PROVIDERS: entry 1 \(My Provider\): the provider name must be 3 to 32 characters/),
    ]);
  });

  it('refuses picture origins that are not origins, or plain http in production', () => {
    const found = problems({
      ...PRODUCTION,
      IDENTITY_PICTURE_ORIGINS: 'http://pictures.example.com,https://cdn.example.com/pictures,nonsense',
    });
    expect(found).toHaveLength(3);
    expect(found.join('\n')).toMatch(/IDENTITY_PICTURE_ORIGINS\.0: must use https in production/);
    expect(found.join('\n')).toMatch(/IDENTITY_PICTURE_ORIGINS\.1: must be an origin with no path/);
    expect(found.join('\n')).toMatch(/IDENTITY_PICTURE_ORIGINS\.2: must be an absolute URL/);
  });

  it('is read, and documented, like every other variable', () => {
    expect(ENV_VARIABLES).toContain('IDENTITY_PROVIDERS');
    expect(ENV_VARIABLES).toContain('IDENTITY_PICTURE_ORIGINS');
  });
});
