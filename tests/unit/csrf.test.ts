import { describe, expect, it } from 'vitest';
import { type CsrfRefusal, csrfRefusal, isStateChanging } from '@/lib/http/csrf';

const APP = 'https://cubby.example';

describe('csrfRefusal', () => {
  const table: [string, { method: string; origin: string | null; secFetchSite: string | null }, CsrfRefusal | null][] = [
    ['a server action from Cubby’s page', { method: 'POST', origin: APP, secFetchSite: 'same-origin' }, null],
    ['Origin alone, same origin', { method: 'POST', origin: APP, secFetchSite: null }, null],
    ['no Origin, Sec-Fetch-Site same-origin', { method: 'POST', origin: null, secFetchSite: 'same-origin' }, null],
    ['GET is never refused', { method: 'GET', origin: 'https://evil.example', secFetchSite: 'cross-site' }, null],
    ['HEAD is never refused', { method: 'HEAD', origin: null, secFetchSite: null }, null],
    ['OPTIONS is never refused', { method: 'OPTIONS', origin: 'https://evil.example', secFetchSite: null }, null],
    ['neither header', { method: 'POST', origin: null, secFetchSite: null }, 'no_origin'],
    ['a cross-site Origin', { method: 'POST', origin: 'https://evil.example', secFetchSite: 'cross-site' }, 'cross_origin'],
    [
      'a cross-site Origin even if Sec-Fetch-Site lies',
      { method: 'POST', origin: 'https://evil.example', secFetchSite: 'same-origin' },
      'cross_origin',
    ],
    ['a sibling subdomain', { method: 'POST', origin: 'https://evil.cubby.example', secFetchSite: 'same-site' }, 'cross_origin'],
    ['the same host over http', { method: 'POST', origin: 'http://cubby.example', secFetchSite: null }, 'cross_origin'],
    ['another port', { method: 'POST', origin: 'https://cubby.example:8443', secFetchSite: null }, 'cross_origin'],
    [
      'a prefix of the origin',
      { method: 'POST', origin: 'https://cubby.example.evil.example', secFetchSite: null },
      'cross_origin',
    ],
    ['the opaque origin "null"', { method: 'POST', origin: 'null', secFetchSite: null }, 'cross_origin'],
    ['an empty Origin', { method: 'POST', origin: '', secFetchSite: 'same-origin' }, 'cross_origin'],
    ['APP_URL with a path is not an origin', { method: 'POST', origin: `${APP}/`, secFetchSite: null }, 'cross_origin'],
    ['no Origin, Sec-Fetch-Site cross-site', { method: 'POST', origin: null, secFetchSite: 'cross-site' }, 'cross_site_fetch'],
    ['no Origin, Sec-Fetch-Site same-site', { method: 'POST', origin: null, secFetchSite: 'same-site' }, 'cross_site_fetch'],
    ['no Origin, Sec-Fetch-Site none', { method: 'POST', origin: null, secFetchSite: 'none' }, 'cross_site_fetch'],
    ['PUT without headers', { method: 'PUT', origin: null, secFetchSite: null }, 'no_origin'],
    ['DELETE cross-site', { method: 'DELETE', origin: 'https://evil.example', secFetchSite: null }, 'cross_origin'],
    ['lower-case method', { method: 'post', origin: null, secFetchSite: null }, 'no_origin'],
  ];
  it.each(table)('%s', (_label, request, expected) => {
    expect(csrfRefusal(request, APP)).toBe(expected);
  });
});

describe('isStateChanging', () => {
  it('is false only for GET, HEAD and OPTIONS', () => {
    expect(['GET', 'HEAD', 'OPTIONS', 'get'].map(isStateChanging)).toEqual([false, false, false, false]);
    expect(['POST', 'PUT', 'PATCH', 'DELETE', 'PROPFIND'].map(isStateChanging)).toEqual([true, true, true, true, true]);
  });
});
