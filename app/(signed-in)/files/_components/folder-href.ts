/**
 * The URL of one of the person's folders: `/files` for the top level, else `/files/` and each
 * folder name percent-encoded (`['Photos', '2026']` → `/files/Photos/2026`). Client-safe.
 */
export function folderHref(path: readonly string[]): string {
  return path.length === 0 ? '/files' : `/files/${path.map(encodeURIComponent).join('/')}`;
}
