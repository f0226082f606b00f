import { describe, expect, it } from 'vitest';
import { clientAddress, normalizeAddress } from '@/lib/http/client-address';

const headers = (values: Record<string, string>) => new Headers(values);

describe('clientAddress: only from the trusted proxy header', () => {
  it('is null without TRUSTED_PROXY_HEADER, whatever the client sends', () => {
    const sent = headers({ 'x-forwarded-for': '203.0.113.7', 'x-real-ip': '203.0.113.8', forwarded: 'for=203.0.113.9' });
    expect(clientAddress(sent, undefined)).toBeNull();
  });

  it('reads the configured header and ignores X-Forwarded-For', () => {
    const sent = headers({ 'x-forwarded-for': '198.51.100.1', 'x-real-ip': '203.0.113.7' });
    expect(clientAddress(sent, 'x-real-ip')).toBe('203.0.113.7');
  });

  it('is null when the configured header is absent (a request that did not come through the proxy)', () => {
    expect(clientAddress(headers({ 'x-forwarded-for': '198.51.100.1' }), 'x-real-ip')).toBeNull();
  });

  it('takes the first comma-separated entry', () => {
    expect(clientAddress(headers({ 'x-forwarded-for': ' 203.0.113.7 , 10.0.0.1, 10.0.0.2' }), 'x-forwarded-for')).toBe(
      '203.0.113.7',
    );
  });

  it.each([
    ['not-an-ip'],
    [''],
    ['   '],
    ['unknown'],
    ['999.1.1.1'],
    ['1.2.3.4.5'],
    ['01.2.3.4'],
    ['203.0.113.7 OR 1=1'],
    ['<script>alert(1)</script>'],
    ['fe80::1%eth0'],
    ['2001:db8::1::2'],
    ['for=203.0.113.7'],
    ['1'.repeat(200)],
  ])('refuses a spoofed or malformed first entry %j', (value) => {
    expect(clientAddress(headers({ 'x-real-ip': `${value}, 203.0.113.7` }), 'x-real-ip')).toBeNull();
  });
});

describe('normalizeAddress', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['203.0.113.7:51234', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:cb00:7107', '203.0.113.7'],
    ['[2001:db8:1:2::7]:443', '2001:db8:1:2::/64'],
    ['2001:DB8:0001:0002:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff::1', '2001:db8:1:2::/64'],
    ['2001:db8::', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['1::2:3:4:5:6:7', '1:0:2:3::/64'],
    ['64:ff9b::203.0.113.7', '64:ff9b:0:0::/64'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeAddress(raw)).toBe(expected);
  });

  it('puts every address of one /64 under one key and a neighbouring /64 under another', () => {
    expect(normalizeAddress('2001:db8:1:2::1')).toBe(normalizeAddress('2001:db8:1:2:dead:beef:0:1'));
    expect(normalizeAddress('2001:db8:1:3::1')).not.toBe(normalizeAddress('2001:db8:1:2::1'));
  });
});
