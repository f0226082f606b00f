import { describe, expect, it } from 'vitest';
import {
  asciiFileName,
  contentDisposition,
  DOWNLOAD_CONTENT_TYPE,
  downloadHeaders,
  inlineImageType,
  isValidContentType,
} from '@/lib/aws/content-types';

/** Parses `filename*=UTF-8''...` back to the name it carries. */
function extendedName(disposition: string): string {
  const match = /filename\*=UTF-8''([^;\s]+)$/.exec(disposition);
  if (!match?.[1]) throw new Error(`no filename* in ${disposition}`);
  return decodeURIComponent(match[1]);
}

function plainName(disposition: string): string {
  const match = /filename="([^"]*)"/.exec(disposition);
  if (match?.[1] === undefined) throw new Error(`no filename in ${disposition}`);
  return match[1];
}

describe('Content-Disposition', () => {
  const injections: [string, string][] = [
    ['CR/LF header injection', 'a.txt\r\nSet-Cookie: x=1'],
    ['bare LF', 'a\n.txt'],
    ['quote breaking out', 'a".txt; filename="evil.html'],
    ['backslash escape', 'a\\".txt'],
    ['semicolon parameter', "a.txt; filename*=UTF-8''evil.html"],
    ['percent sequence', 'a%0d%0a.txt'],
    ['NUL and controls', 'a\u0000\u0007\u007F\u0085.txt'],
    ['lone surrogate', 'a\uD800.txt'],
  ];
  it.each(injections)('%s stays one safe header value', (_label, name) => {
    const value = contentDisposition('attachment', name);
    expect(value).not.toMatch(/[\p{Cc}]/u);
    expect(value.startsWith('attachment; filename="')).toBe(true);
    // Exactly three parameters' worth of structure: the name cannot add a parameter or a header.
    expect(value.match(/"/g)).toHaveLength(2);
    expect(value).toMatch(/^attachment; filename="[\x20-\x7E]*"; filename\*=UTF-8''[A-Za-z0-9!#$&+.^_`|~%-]+$/);
    expect(plainName(value)).not.toMatch(/["\\%\r\n]/);
    expect(extendedName(value)).not.toMatch(/[\p{Cc}"\\]/u);
  });

  it('carries non-ASCII names in filename* and an ASCII fallback in filename', () => {
    const value = contentDisposition('attachment', 'Café 日本 😀.pdf');
    expect(plainName(value)).toBe('Cafe __ _.pdf');
    expect(extendedName(value)).toBe('Café 日本 😀.pdf');
    expect(value).toContain("filename*=UTF-8''Caf%C3%A9%20%E6%97%A5%E6%9C%AC%20%F0%9F%98%80.pdf");
  });

  it("percent-encodes RFC 5987's excluded characters ' ( ) *", () => {
    const value = contentDisposition('inline', "it's (v2)*.png");
    expect(value).toContain("filename*=UTF-8''it%27s%20%28v2%29%2A.png");
    expect(plainName(value)).toBe("it's (v2)*.png");
  });

  it('falls back to "download" when nothing printable is left', () => {
    expect(asciiFileName('')).toBe('download');
    expect(contentDisposition('attachment', '"\r\n"')).toBe(`attachment; filename="download"; filename*=UTF-8''download`);
  });
});

describe('inline allow-list', () => {
  const inline: [string, string][] = [
    ['image/png', 'a.png'],
    ['image/jpeg', 'a.jpg'],
    ['image/jpeg', 'A.JPEG'],
    ['image/gif', 'a.gif'],
    ['image/webp', 'a.webp'],
    ['image/avif', 'a.avif'],
    ['IMAGE/PNG; charset=binary', 'a.png'],
  ];
  it.each(inline)('%s %s is shown inline as its own type', (type, name) => {
    const headers = downloadHeaders(name, type);
    expect(headers.contentDisposition.startsWith('inline; ')).toBe(true);
    expect(headers.contentType).toBe(type.split(';')[0]?.toLowerCase());
  });

  const attachment: [string, string][] = [
    ['text/html', 'a.html'],
    ['image/svg+xml', 'a.svg'],
    ['application/xml', 'a.xml'],
    ['text/xml', 'a.xml'],
    ['text/javascript', 'a.js'],
    ['application/pdf', 'a.pdf'],
    ['text/plain', 'a.txt'],
    ['image/png', 'evil.html'],
    ['image/png', 'evil.svg'],
    ['image/png', 'png'],
    ['image/jpeg', 'a.png.html'],
    ['text/html', 'a.png'],
    ['image/x-icon', 'a.ico'],
    ['', 'a.png'],
  ];
  it.each(attachment)('%s %s is an attachment served as octet-stream', (type, name) => {
    const headers = downloadHeaders(name, type);
    expect(headers.contentDisposition.startsWith('attachment; ')).toBe(true);
    expect(headers.contentType).toBe(DOWNLOAD_CONTENT_TYPE);
    expect(inlineImageType(type, name)).toBeNull();
  });

  it('is an attachment when inline is not allowed, even for an image', () => {
    expect(downloadHeaders('a.png', 'image/png', false)).toEqual({
      contentType: DOWNLOAD_CONTENT_TYPE,
      contentDisposition: `attachment; filename="a.png"; filename*=UTF-8''a.png`,
    });
  });
});

describe('upload content types', () => {
  it.each(['image/png', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'text/plain; charset=utf-8'])(
    'accepts %s',
    (type) => expect(isValidContentType(type)).toBe(true),
  );
  it.each(['', 'png', 'text/plain\r\nX-Evil: 1', 'text/html; a="b"', '/x', `a/${'b'.repeat(300)}`, 'text/ plain'])(
    'refuses %j',
    (type) => expect(isValidContentType(type)).toBe(false),
  );
});
