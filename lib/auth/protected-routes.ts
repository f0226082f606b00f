/** Pages that need a signed-in person; proxy.ts sends signed-out visitors to sign-in first. */
const PROTECTED = /^\/(files|profile|account)(\/|$)/;

/** True for a path under /files, /profile or /account (a convenience redirect; lib/dal.ts is the real gate). */
export function isProtectedPath(pathname: string): boolean {
  return PROTECTED.test(pathname);
}

/** The sign-in URL that brings the person back to `pathAndQuery` afterwards. */
export function loginPathFor(pathAndQuery: string): string {
  return `/auth/login?returnTo=${encodeURIComponent(pathAndQuery)}`;
}
