import {
  AdminDisableProviderForUserCommand,
  AdminGetUserCommand,
  AdminLinkProviderForUserCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorization, Browser, configFor, createUser, expectRedirect, idpClient, signIn } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { federatedAttempt, federatedSignIn, hiddenFields } from '../helpers/federated-login';
import { credentialsFor } from '../helpers/identity-credentials';

let emulator: EmulatorProcess;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
});
afterAll(async () => {
  await emulator?.stop();
});

const GOOGLE = { identity_provider: 'Google' };

/** The emulated provider's account (stable subject per email), through its test hook. */
async function providerAccount(slug: 'google' | 'acme', email: string): Promise<{ sub: string }> {
  return (await emulator.hook('POST', `/_local/idp/${slug}/accounts`, { email })) as { sub: string };
}

describe('federation with the Google-shaped provider', () => {
  it('signs in as Google_<sub> with mapped attributes, identities and the provider group', async () => {
    const browser = new Browser();
    const tokens = await federatedSignIn(emulator, browser, { by: GOOGLE, email: 'Grace@Example.com', name: 'Grace Hopper' });
    const { sub: googleSub } = await providerAccount('google', 'grace@example.com');
    const id = decodeJwt(tokens.idToken);
    const poolId = emulator.config.userPoolId;
    expect(id['cognito:username']).toBe(`Google_${googleSub}`);
    expect(id.sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(id.email).toBe('grace@example.com');
    expect(id.email_verified).toBe(true);
    expect(id.name).toBe('Grace Hopper');
    expect(id['cognito:groups']).toEqual([`${poolId}_Google`]);
    expect(id['cognito:roles']).toBeUndefined();
    expect(id.identities).toEqual([
      {
        userId: googleSub,
        providerName: 'Google',
        providerType: 'Google',
        issuer: null,
        primary: 'true',
        dateCreated: expect.stringMatching(/^\d{13}$/),
      },
    ]);
    const picture = await fetch(String(id.picture));
    expect(picture.status).toBe(200);
    expect(picture.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await picture.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
  });

  it('reuses the user on a second sign-in with the same email and creates another for another email', async () => {
    const first = decodeJwt((await federatedSignIn(emulator, new Browser(), { by: GOOGLE, email: 'alan@example.com' })).idToken);
    const again = decodeJwt((await federatedSignIn(emulator, new Browser(), { by: GOOGLE, email: 'ALAN@example.com' })).idToken);
    const other = decodeJwt((await federatedSignIn(emulator, new Browser(), { by: GOOGLE, email: 'joan@example.com' })).idToken);
    expect(again.sub).toBe(first.sub);
    expect(again['cognito:username']).toBe(first['cognito:username']);
    expect(other.sub).not.toBe(first.sub);
  });

  it('sends the pool’s own state, nonce and PKCE to the provider and forwards login_hint', async () => {
    const config = await configFor(emulator);
    const auth = await authorization(emulator, config, { ...GOOGLE, login_hint: 'hint@example.com' });
    const at = await expectRedirect(await new Browser().fetch(auth.url));
    expect(at.href.startsWith(`${emulator.url}/_idp/google/authorize?`)).toBe(true);
    const params = at.searchParams;
    expect(params.get('redirect_uri')).toBe(`${emulator.config.domain}/oauth2/idpresponse`);
    expect(params.get('state')).not.toBe(auth.state);
    expect(params.get('nonce')).not.toBe(auth.nonce);
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('login_hint')).toBe('hint@example.com');
    const page = await (await fetch(at)).text();
    expect(page).toContain('value="hint@example.com"');
    expect(page).toMatch(/<label for="email">/);
  });

  it('lists the federated user as EXTERNAL_PROVIDER with its identities attribute', async () => {
    await federatedSignIn(emulator, new Browser(), { by: GOOGLE, email: 'listed@example.com' });
    const { sub } = await providerAccount('google', 'listed@example.com');
    const idp = idpClient(emulator);
    const UserPoolId = emulator.config.userPoolId;
    const { Users = [] } = await idp.send(new ListUsersCommand({ UserPoolId }));
    const listed = Users.find((user) => user.Username === `Google_${sub}`);
    expect(listed?.UserStatus).toBe('EXTERNAL_PROVIDER');
    const got = await idp.send(new AdminGetUserCommand({ UserPoolId, Username: `Google_${sub}` }));
    const identities = got.UserAttributes?.find((attribute) => attribute.Name === 'identities')?.Value ?? '[]';
    expect(JSON.parse(identities)).toEqual([expect.objectContaining({ userId: sub, providerName: 'Google', primary: true })]);
  });
});

describe('federation with the enterprise OIDC provider (idp_identifier)', () => {
  it('matches the identifier case-insensitively and signs in as Acme_<sub>', async () => {
    const tokens = await federatedSignIn(emulator, new Browser(), {
      by: { idp_identifier: 'ACME.example' },
      email: 'wile@acme.example',
      name: 'Wile E.',
    });
    const { sub } = await providerAccount('acme', 'wile@acme.example');
    const id = decodeJwt(tokens.idToken);
    expect(id['cognito:username']).toBe(`Acme_${sub}`);
    expect(id['cognito:groups']).toEqual([`${emulator.config.userPoolId}_Acme`]);
    expect(id.identities).toEqual([expect.objectContaining({ providerName: 'Acme', providerType: 'OIDC', userId: sub })]);
  });

  it('refuses an unknown provider or identifier with invalid_request to the app', async () => {
    const config = await configFor(emulator);
    const refused: Record<string, string>[] = [
      { identity_provider: 'Facebook' },
      { identity_provider: 'google' },
      { idp_identifier: 'initech.example' },
    ];
    for (const by of refused) {
      const auth = await authorization(emulator, config, by);
      const location = await expectRedirect(await fetch(auth.url, { redirect: 'manual' }));
      expect(location.origin + location.pathname).toBe(`${emulator.config.appUrl}/auth/callback`);
      expect(location.searchParams.get('error')).toBe('invalid_request');
      expect(location.searchParams.get('state')).toBe(auth.state);
    }
  });
});

describe('provider failures end in error redirects to the app', () => {
  it('returns access_denied when the person cancels at the provider', async () => {
    const { auth, callback } = await federatedAttempt(emulator, new Browser(), {
      by: GOOGLE,
      email: 'x@example.com',
      action: 'cancel',
    });
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe(auth.state);
    expect(callback.searchParams.get('code')).toBeNull();
  });

  for (const [mode, description] of [
    ['bad-signature', /signature/],
    ['wrong-audience', /aud/],
    ['wrong-issuer', /iss/],
    ['wrong-nonce', /nonce/],
    ['expired', /expired/],
    ['token-error', /^Google Error - 400 invalid_grant/],
    ['unreachable', /IdP token endpoint/],
  ] as const) {
    it(`refuses the sign-in when the provider misbehaves: ${mode}`, async () => {
      await emulator.hook('POST', '/_local/idp/google/misbehave', { mode });
      const { auth, callback } = await federatedAttempt(emulator, new Browser(), { by: GOOGLE, email: `${mode}@example.com` });
      expect(callback.origin + callback.pathname).toBe(`${emulator.config.appUrl}/auth/callback`);
      expect(callback.searchParams.get('error')).toBe('invalid_request');
      expect(callback.searchParams.get('error_description')).toMatch(description);
      expect(callback.searchParams.get('state')).toBe(auth.state);
      expect(callback.searchParams.get('code')).toBeNull();
    });
  }

  it('sends a replayed or unknown idpresponse to the error page, not to the app', async () => {
    const browser = new Browser();
    const config = await configFor(emulator);
    const auth = await authorization(emulator, config, GOOGLE);
    const at = await expectRedirect(await browser.fetch(auth.url));
    const html = await (await browser.fetch(at)).text();
    const fields = hiddenFields(html);
    const idpResponse = await expectRedirect(
      await browser.post(new URL('/_idp/google/authorize', emulator.url), {
        ...fields,
        email: 'replay@example.com',
        action: 'continue',
      }),
    );
    expect((await expectRedirect(await browser.fetch(idpResponse))).searchParams.get('code')).toBeTruthy();
    const replay = await expectRedirect(await browser.fetch(idpResponse));
    expect(replay.href).toBe(`${emulator.config.domain}/error?error=invalid_request`);
    const forged = await expectRedirect(await browser.fetch(`${emulator.config.domain}/oauth2/idpresponse?code=x&state=forged`));
    expect(forged.pathname).toBe('/error');
  });
});

describe('the emulated provider as an OIDC provider', () => {
  it('serves discovery and a JWKS of its own, and burns codes on first use', async () => {
    const discovery = (await (await fetch(`${emulator.url}/_idp/google/.well-known/openid-configuration`)).json()) as Record<
      string,
      string
    >;
    expect(discovery.issuer).toBe(`${emulator.url}/_idp/google`);
    const jwks = (await (await fetch(discovery.jwks_uri ?? '')).json()) as { keys: unknown[] };
    expect(jwks.keys).toHaveLength(1);
    const token = (code: string) =>
      fetch(discovery.token_endpoint ?? '', {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: `${emulator.config.domain}/oauth2/idpresponse`,
        }),
        headers: { authorization: `Basic ${Buffer.from('nobody:wrong').toString('base64')}` },
      });
    expect((await token('4/unknown')).status).toBe(401);
  });
});

describe('the managed-login page', () => {
  it('offers "Continue with …" per supported provider, carrying the flow to the provider', async () => {
    const browser = new Browser();
    const auth = await authorization(emulator, await configFor(emulator));
    const login = await expectRedirect(await browser.fetch(auth.url));
    const html = await (await browser.fetch(login)).text();
    for (const name of ['Google', 'Acme', 'Globex']) expect(html).toContain(`>Continue with ${name}</button>`);
    const google =
      /<form method="get" action="\/oauth2\/authorize" class="federation">((?:<input[^>]+>)+)<button type="submit">Continue with Google</.exec(
        html,
      );
    const fields = hiddenFields(google?.[1] ?? '');
    expect(fields).toMatchObject({ identity_provider: 'Google', state: auth.state, client_id: emulator.config.clientId });
    const target = new URL('/oauth2/authorize', login);
    for (const [name, value] of Object.entries(fields)) target.searchParams.set(name, value);
    const at = await expectRedirect(await browser.fetch(target));
    expect(at.href.startsWith(`${emulator.url}/_idp/google/authorize?`)).toBe(true);
  });

  it('maps a company email to its provider by IdP identifier, and refuses an unknown domain on the page', async () => {
    const browser = new Browser();
    const auth = await authorization(emulator, await configFor(emulator));
    const login = await expectRedirect(await browser.fetch(auth.url));
    const federate = new URL(`/login/federate${login.search}`, login);
    const next = await expectRedirect(await browser.post(federate, { email: 'Road.Runner@ACME.example' }));
    expect(next.pathname).toBe('/oauth2/authorize');
    expect(next.searchParams.get('idp_identifier')).toBe('acme.example');
    expect(next.searchParams.get('login_hint')).toBe('Road.Runner@ACME.example');
    expect(next.searchParams.get('state')).toBe(auth.state);
    const at = await expectRedirect(await browser.fetch(next));
    expect(at.href.startsWith(`${emulator.url}/_idp/acme/authorize?`)).toBe(true);
    expect(at.searchParams.get('login_hint')).toBe('Road.Runner@ACME.example');

    const refused = await browser.post(federate, { email: 'someone@initech.example' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('No company sign-in is set up for initech.example');
  });
});

describe('AdminLinkProviderForUser', () => {
  it('signs a linked provider identity in as the native user; an unlinked one with the same email stays separate', async () => {
    const native = await createUser(emulator, { email: 'linus@example.com', password: 'Passw0rd!' });
    const { sub: googleSub } = await providerAccount('google', 'linus.g@example.com');
    const idp = idpClient(emulator);
    const UserPoolId = emulator.config.userPoolId;
    await idp.send(
      new AdminLinkProviderForUserCommand({
        UserPoolId,
        DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: native.username },
        SourceUser: { ProviderName: 'Google', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: googleSub },
      }),
    );
    const linked = decodeJwt(
      (await federatedSignIn(emulator, new Browser(), { by: GOOGLE, email: 'linus.g@example.com' })).idToken,
    );
    expect(linked.sub).toBe(native.sub);
    expect(linked['cognito:username']).toBe(native.username);
    expect(linked.email).toBe('linus@example.com');
    expect(linked.identities).toEqual([expect.objectContaining({ userId: googleSub, providerName: 'Google', primary: 'false' })]);
    const password = decodeJwt((await signIn(emulator, { email: 'linus@example.com', password: 'Passw0rd!' })).idToken);
    expect(password.identities).toEqual(linked.identities);

    const sameEmail = decodeJwt(
      (await federatedSignIn(emulator, new Browser(), { by: GOOGLE, email: 'linus@example.com' })).idToken,
    );
    expect(sameEmail.sub).not.toBe(native.sub);
    expect(sameEmail['cognito:username']).toMatch(/^Google_\d{21}$/);
  });

  it('answers Cognito’s errors: already signed up, already linked, unknown destination', async () => {
    const idp = idpClient(emulator);
    const UserPoolId = emulator.config.userPoolId;
    const native = await createUser(emulator, { email: 'errs@example.com', password: 'Passw0rd!' });
    await federatedSignIn(emulator, new Browser(), { by: GOOGLE, email: 'signed-up@example.com' });
    const signedUp = await providerAccount('google', 'signed-up@example.com');
    const fresh = await providerAccount('google', 'fresh@example.com');
    const link = (value: string, destination = native.username) =>
      idp.send(
        new AdminLinkProviderForUserCommand({
          UserPoolId,
          DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: destination },
          SourceUser: { ProviderName: 'Google', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: value },
        }),
      );
    await expect(link(signedUp.sub)).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: /Merging is not currently supported/,
    });
    await link(fresh.sub);
    await expect(link(fresh.sub)).rejects.toMatchObject({ name: 'AliasExistsException' });
    await expect(link('123', 'nobody@example.com')).rejects.toMatchObject({ name: 'UserNotFoundException' });

    await idp.send(
      new AdminDisableProviderForUserCommand({
        UserPoolId,
        User: { ProviderName: 'Google', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: fresh.sub },
      }),
    );
    const after = decodeJwt((await federatedSignIn(emulator, new Browser(), { by: GOOGLE, email: 'fresh@example.com' })).idToken);
    expect(after['cognito:username']).toBe(`Google_${fresh.sub}`);
  });
});

describe('Identity Pool credentials for a federated user', () => {
  it('gives the authenticated role (the provider group has none) and a working private prefix', async () => {
    const tokens = await federatedSignIn(emulator, new Browser(), { by: GOOGLE, email: 'idpool@example.com' });
    const id = decodeJwt(tokens.idToken);
    expect(id['cognito:groups']).toEqual([`${emulator.config.userPoolId}_Google`]);
    expect(id['cognito:preferred_role']).toBeUndefined();
    const { identityId, credentials } = await credentialsFor(emulator, tokens.idToken);
    expect(credentials.accessKeyId).toMatch(/^ASIA/);
    const again = await credentialsFor(emulator, tokens.idToken);
    expect(again.identityId).toBe(identityId);
    const s3 = new S3Client({ region: emulator.config.region, endpoint: emulator.url, forcePathStyle: true, credentials });
    const put = await s3.send(
      new PutObjectCommand({ Bucket: emulator.config.bucket, Key: `private/${identityId}/hello.txt`, Body: 'hi' }),
    );
    expect(put.ETag).toBeTruthy();
    await expect(
      s3.send(new PutObjectCommand({ Bucket: emulator.config.bucket, Key: 'private/us-east-1:someone-else/x.txt', Body: 'no' })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});

describe('openid-client as the app', () => {
  it('rejects a callback whose state is not the app’s own', async () => {
    const { auth, callback } = await federatedAttempt(emulator, new Browser(), { by: GOOGLE, email: 'state@example.com' });
    await expect(
      client.authorizationCodeGrant(await configFor(emulator), callback, {
        pkceCodeVerifier: auth.verifier,
        expectedState: 'other',
        expectedNonce: auth.nonce,
      }),
    ).rejects.toThrow();
  });
});
