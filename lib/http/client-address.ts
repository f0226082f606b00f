import { isIP } from 'node:net';

/**
 * The client's network address, for per-address rate limits, and only from the header a trusted
 * proxy sets (TRUSTED_PROXY_HEADER). Without that setting there is no trustworthy address: Next's
 * server fills `X-Forwarded-For` from the socket only when the client sent none, so anyone could
 * choose theirs. Pure; runs anywhere.
 */

/**
 * The address in `headers[trustedHeader]` as a rate-limit key, or null when no header is trusted,
 * the header is absent, or its first entry is not an IP address.
 *
 * The first comma-separated entry is used, so the proxy must *set* the header (nginx's
 * `X-Real-IP $remote_addr`, Vercel's `x-real-ip`, Cloudflare's `cf-connecting-ip`), not append to
 * what the client sent. IPv4 is kept as is (a port, as some proxies add, is dropped); an
 * IPv4-mapped IPv6 address becomes its IPv4 address; any other IPv6 address becomes its /64
 * prefix (`2001:db8:1:2::/64`), since one subscriber usually holds a whole /64.
 */
export function clientAddress(headers: Headers, trustedHeader: string | undefined): string | null {
  if (!trustedHeader) return null;
  const value = headers.get(trustedHeader);
  if (value === null) return null;
  return normalizeAddress(value.split(',')[0] ?? '');
}

/** One address as a rate-limit key (see {@link clientAddress}), or null when it is not an IP address. */
export function normalizeAddress(raw: string): string | null {
  let value = raw.trim();
  if (value.length > 100) return null;
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(value);
  if (bracketed?.[1]) value = bracketed[1];
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(value);
  if (withPort?.[1]) value = withPort[1];
  const version = isIP(value);
  if (version === 4) return value;
  if (version !== 6) return null;
  const hextets = expandIpv6(value);
  if (!hextets) return null;
  const mapped = hextets.slice(0, 5).every((hextet) => hextet === 0) && hextets[5] === 0xffff;
  if (mapped) {
    const [high = 0, low = 0] = hextets.slice(6);
    return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  }
  return `${hextets
    .slice(0, 4)
    .map((hextet) => hextet.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address that `isIP` accepted (an embedded IPv4 tail included). */
function expandIpv6(address: string): number[] | null {
  if (address.includes('%')) return null;
  let text = address.toLowerCase();
  const ipv4Tail = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (ipv4Tail) {
    const [a, b, c, d] = ipv4Tail.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, ipv4Tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string | undefined) => (part ? part.split(':').map((group) => Number.parseInt(group, 16)) : []);
  const head = parse(halves[0]);
  const tail = parse(halves[1]);
  const groups = halves.length === 2 ? [...head, ...Array<number>(8 - head.length - tail.length).fill(0), ...tail] : head;
  return groups.length === 8 && groups.every((group) => Number.isInteger(group) && group >= 0 && group <= 0xffff) ? groups : null;
}
