import { describe, expect, it } from 'vitest';
import {
  base64UrlToBytes,
  bytesToBase64Url,
  type CreatedCredential,
  creationOptionsFromJson,
  passkeyErrorMessage,
  registrationToJson,
} from '@/lib/account/passkey-json';

/** The browser half of adding a passkey: base64url, the options for create(), the response's JSON, error words. */

function bytes(...values: number[]): Uint8Array<ArrayBuffer> {
  return new Uint8Array(values);
}

function buffer(...values: number[]): ArrayBuffer {
  return bytes(...values).buffer;
}

describe('base64url', () => {
  it.each([
    [[], ''],
    [[0], 'AA'],
    [[0xfb, 0xff], '-_8'],
    [[0xff, 0xfe, 0xfd], '__79'],
    [[1, 2, 3, 4], 'AQIDBA'],
  ])('encodes %j as %s without padding and decodes it back', (values, text) => {
    expect(bytesToBase64Url(bytes(...values))).toBe(text);
    expect([...base64UrlToBytes(text)]).toEqual(values);
  });

  it('accepts padding and a view into a larger buffer', () => {
    expect([...base64UrlToBytes('AQIDBA==')]).toEqual([1, 2, 3, 4]);
    expect(bytesToBase64Url(new Uint8Array(buffer(9, 1, 2, 9), 1, 2))).toBe('AQI');
  });

  it.each(['a+b', 'a/b', 'a b', 'A', 'AAAAA', '====', 'AA=A'])('refuses %j', (text) => {
    expect(() => base64UrlToBytes(text)).toThrow(TypeError);
  });

  it('round-trips every byte value', () => {
    const all = new Uint8Array(Array.from({ length: 256 }, (_, index) => index));
    expect([...base64UrlToBytes(bytesToBase64Url(all))]).toEqual([...all]);
  });
});

describe('creationOptionsFromJson', () => {
  const json: PublicKeyCredentialCreationOptionsJSON = {
    challenge: 'AQIDBA',
    rp: { id: 'localhost', name: 'Cubby' },
    user: { id: '_w', name: 'ada@example.com', displayName: 'Ada' },
    pubKeyCredParams: [
      { type: 'public-key', alg: -7 },
      { type: 'public-key', alg: -257 },
    ],
    timeout: 60000,
    excludeCredentials: [{ type: 'public-key', id: 'BQY', transports: ['internal'] }],
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    attestation: 'none',
  };

  it('turns the challenge, the user handle and excluded ids into bytes and keeps the rest', () => {
    const options = creationOptionsFromJson(json);
    expect([...new Uint8Array(options.challenge as ArrayBuffer)]).toEqual([1, 2, 3, 4]);
    expect([...new Uint8Array(options.user.id as ArrayBuffer)]).toEqual([0xff]);
    expect(options.user.name).toBe('ada@example.com');
    expect(options.user.displayName).toBe('Ada');
    expect(options.rp).toEqual({ id: 'localhost', name: 'Cubby' });
    expect(options.pubKeyCredParams).toEqual(json.pubKeyCredParams);
    expect(options.timeout).toBe(60000);
    expect(options.authenticatorSelection).toEqual(json.authenticatorSelection);
    expect(options.attestation).toBe('none');
    const excluded = options.excludeCredentials?.[0];
    expect([...new Uint8Array(excluded?.id as ArrayBuffer)]).toEqual([5, 6]);
    expect(excluded?.transports).toEqual(['internal']);
  });

  it('leaves excludeCredentials out when Cognito sent none', () => {
    const { excludeCredentials: _none, ...rest } = json;
    expect('excludeCredentials' in creationOptionsFromJson(rest)).toBe(false);
  });

  it('refuses a challenge that is not base64url', () => {
    expect(() => creationOptionsFromJson({ ...json, challenge: 'not base64' })).toThrow(TypeError);
  });
});

describe('registrationToJson', () => {
  function credential(
    extra: Partial<CreatedCredential['response']> = {},
    attachment: string | null = 'platform',
  ): CreatedCredential {
    return {
      id: 'AQI',
      rawId: buffer(1, 2),
      type: 'public-key',
      authenticatorAttachment: attachment,
      response: { clientDataJSON: buffer(3), attestationObject: buffer(4, 5), ...extra },
      getClientExtensionResults: () => ({ credProps: { rk: true } }),
    };
  }

  it('serialises every field CompleteWebAuthnRegistration reads, binary fields as base64url', () => {
    const json = registrationToJson(
      credential({
        getTransports: () => ['internal', 'hybrid'],
        getAuthenticatorData: () => buffer(6),
        getPublicKey: () => buffer(7, 8),
        getPublicKeyAlgorithm: () => -7,
      }),
    );
    expect(json).toEqual({
      id: 'AQI',
      rawId: 'AQI',
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: { credProps: { rk: true } },
      response: {
        clientDataJSON: 'Aw',
        attestationObject: 'BAU',
        transports: ['internal', 'hybrid'],
        authenticatorData: 'Bg',
        publicKey: 'Bwg',
        publicKeyAlgorithm: -7,
      },
    });
    // It is what goes over the wire: JSON round-trips it unchanged.
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('leaves out what an older browser cannot give (no getters, no attachment)', () => {
    const json = registrationToJson(credential({}, null));
    expect(json.response).toEqual({ clientDataJSON: 'Aw', attestationObject: 'BAU', transports: [] });
    expect('authenticatorAttachment' in json).toBe(false);
  });
});

describe('passkeyErrorMessage', () => {
  it.each([
    ['NotAllowedError', /cancelled or timed out/],
    ['AbortError', /cancelled or timed out/],
    ['InvalidStateError', /already holds a passkey/],
    ['SecurityError', /cannot be created on this address/],
    ['NotSupportedError', /does not support/],
    ['TypeError', /try again/],
  ])('%s → friendly words', (name, words) => {
    expect(passkeyErrorMessage(new DOMException('raw browser text', name))).toMatch(words);
    expect(passkeyErrorMessage(new DOMException('raw browser text', name))).not.toContain('raw browser text');
  });

  it('handles things that are not errors', () => {
    expect(passkeyErrorMessage(undefined)).toMatch(/try again/);
    expect(passkeyErrorMessage('NotAllowedError')).toMatch(/try again/);
  });
});
