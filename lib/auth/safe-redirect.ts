/** Where people land after signing in when no (acceptable) returnTo was given. */
export const DEFAULT_RETURN_TO = '/files';

const MAX_RETURN_TO_LENGTH = 2048;

/** Backslash, C0 controls, DEL, and (in a raw, undecoded value) the space. */
function hasUnsafeCharacter(value: string, rejectSpace: boolean): boolean {
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code === 0x5c || code < 0x20 || code === 0x7f || (rejectSpace && code === 0x20)) return true;
  }
  return false;
}

/**
 * Validates a post-sign-in destination: only a same-origin relative path is accepted, returned
 * normalised (path + query + fragment). Anything else (absolute or protocol-relative URLs,
 * backslash tricks, control characters, encoded variants of those, over-long values) gives
 * {@link DEFAULT_RETURN_TO}. Pure; safe anywhere.
 */
export function safeReturnTo(value: string | null | undefined, appOrigin: string): string {
  if (!value || value.length > MAX_RETURN_TO_LENGTH) return DEFAULT_RETURN_TO;
  // Must start with exactly one slash; browsers treat "//" and "/\" as a new host.
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return DEFAULT_RETURN_TO;
  // Backslashes, whitespace and control characters have no business in a raw path; decoding once
  // catches %2F%2F, %5C and encoded control characters that a later decode could turn live.
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return DEFAULT_RETURN_TO;
  }
  if (hasUnsafeCharacter(value, true)) return DEFAULT_RETURN_TO;
  if (hasUnsafeCharacter(decoded, false) || decoded.startsWith('//') || decoded.startsWith('/\\')) {
    return DEFAULT_RETURN_TO;
  }
  let url: URL;
  try {
    url = new URL(value, appOrigin);
  } catch {
    return DEFAULT_RETURN_TO;
  }
  if (url.origin !== new URL(appOrigin).origin) return DEFAULT_RETURN_TO;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Never bounce back into the sign-in machinery itself.
  if (url.pathname.startsWith('/auth/')) return DEFAULT_RETURN_TO;
  return path;
}
