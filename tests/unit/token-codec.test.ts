import { randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { packTokens, type SessionTokens, TokenCodecError, unpackTokens } from '@/lib/auth/token-codec';
import { fakeRefreshToken, mintTokens, realistic } from '../fixtures/tokens';

function roundTrip(tokens: SessionTokens): SessionTokens {
  return unpackTokens(packTokens(tokens));
}

describe('packTokens / unpackTokens', () => {
  it('round-trips realistic Cognito tokens exactly', () => {
    expect(roundTrip(realistic.tokens)).toEqual(realistic.tokens);
  });

  it('saves at least a quarter of the raw size on a realistic session', () => {
    const { idToken, accessToken, refreshToken } = realistic.tokens;
    const raw = idToken.length + accessToken.length + refreshToken.length;
    expect(raw).toBeGreaterThan(4300);
    expect(packTokens(realistic.tokens).length).toBeLessThan(raw * 0.75);
  });

  it.each([
    ['empty JWE segments', { idToken: 'eyJhbGciOiJkaXIifQ..aXY.Y2lwaGVy.dGFn', accessToken: 'a..b', refreshToken: '....' }],
    ['empty tokens', { idToken: '', accessToken: '', refreshToken: '' }],
    ['padded base64 segments', { idToken: 'YWJj=.ZA==', accessToken: 'abc+/def', refreshToken: 'x' }],
    ['non-canonical trailing bits', { idToken: 'AB.AAB.AAAB', accessToken: 'A', refreshToken: 'AAAAB' }],
    ['unicode text', { idToken: 'héllo.wörld', accessToken: '日本.語', refreshToken: '😀.😀' }],
    ['sixteen segments', { idToken: Array(16).fill('QQ').join('.'), accessToken: '.', refreshToken: 'plain text with spaces' }],
    ['a refresh token with a big ciphertext', { ...realistic.tokens, refreshToken: fakeRefreshToken(9000) }],
  ])('round-trips %s', (_name, tokens) => {
    expect(roundTrip(tokens)).toEqual(tokens);
  });

  it('round-trips random strings over an alphabet full of edge cases', () => {
    const alphabet = 'AQgw_-.=+/ é.';
    for (let run = 0; run < 300; run += 1) {
      const draw = () =>
        Array.from(randomBytes(Math.floor(Math.random() * 40)), (byte) => alphabet[byte % alphabet.length]).join('');
      // At most 16 dot-separated segments, as packTokens accepts (a rare draw had 17 and failed the run).
      const random = (): string => {
        const value = draw();
        return value.split('.').length <= 16 ? value : random();
      };
      const tokens = { idToken: random(), accessToken: random(), refreshToken: random() };
      expect(roundTrip(tokens)).toEqual(tokens);
    }
  });

  it('round-trips freshly minted tokens for people with and without groups', async () => {
    for (const groups of [[], ['admins'], ['a', 'b', 'c', 'd', 'e']]) {
      const { tokens } = await mintTokens({ groups });
      expect(roundTrip(tokens)).toEqual(tokens);
    }
  });

  it('refuses tokens it cannot restore exactly', () => {
    expect(() => packTokens({ ...realistic.tokens, idToken: Array(17).fill('a').join('.') })).toThrow(TokenCodecError);
    expect(() => packTokens({ ...realistic.tokens, accessToken: 'lone \ud800 surrogate' })).toThrow(TokenCodecError);
  });
});

// The packing has no integrity of its own (a changed literal byte can decode to other tokens): the
// iron seal around it is what detects tampering (see session-seal.test.ts).
describe('unpackTokens on malformed input', () => {
  const packed = packTokens(realistic.tokens);
  /** A format-1 packing of an arbitrary body (deflated without back-references into the dictionary). */
  const withBody = (body: number[]) => Buffer.concat([Buffer.of(1), deflateRawSync(Buffer.from(body))]).toString('base64url');
  const threeEmpty = [1, 0, 1, 0, 1, 0];

  it('accepts a hand-made packing of three empty tokens (the baseline for the table below)', () => {
    expect(unpackTokens(withBody(threeEmpty))).toEqual({ idToken: '', accessToken: '', refreshToken: '' });
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'not base64!'],
    ['padded base64', `${packed}=`],
    ['one stray character', `${packed}A`],
    ['unknown format', `B${packed.slice(1)}`],
    ['truncated', packed.slice(0, packed.length - 40)],
    ['random bytes', randomBytes(300).toString('base64url')],
    ['trailing bytes', withBody([...threeEmpty, 7])],
    ['too few tokens', withBody([1, 0, 1, 0])],
    ['a zero segment count', withBody([0, 1, 0, 1, 0])],
    ['too many segments', withBody([17, ...Array(17).fill(0), 1, 0, 1, 0])],
    ['a length past the end', withBody([1, 20, 65, 1, 0, 1, 0])],
    ['an endless varint', withBody([1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 1, 0, 1, 0])],
    ['invalid UTF-8 text', withBody([1, 5, 0xc3, 0x28, 1, 0, 1, 0])],
    ['a deflate bomb', Buffer.concat([Buffer.of(1), deflateRawSync(Buffer.alloc(1024 * 1024))]).toString('base64url')],
  ])('throws TokenCodecError for %s', (_name, input) => {
    expect(() => unpackTokens(input)).toThrow(TokenCodecError);
  });
});
