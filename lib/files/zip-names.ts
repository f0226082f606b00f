/**
 * The names of the entries in a zip the browser builds from a person's files: their display names,
 * made safe to extract anywhere (no zip-slip). Pure and client-safe (only lib/aws/keys.ts's pure
 * name rules), tested with an attack table.
 */
import { type FolderPath, nextFreeName, safeFileName, splitOwnKey, UNTITLED } from '@/lib/aws/keys';
import { MAX_NAME_BYTES, utf8Bytes } from '@/lib/files/limits';

/** Cuts `segment` to MAX_NAME_BYTES between code points (a display name is never that long; a forged one may be). */
function fitSegment(segment: string): string {
  if (utf8Bytes(segment) <= MAX_NAME_BYTES) return segment;
  let fitted = '';
  for (const char of segment) {
    if (utf8Bytes(fitted + char) > MAX_NAME_BYTES) break;
    fitted += char;
  }
  return fitted;
}

/**
 * The path segments of one display name: `/` separates folders (a name in a folder is
 * `Photos/2026/a.jpg`); empty, `.` and `..` segments are dropped, so no entry starts with `/` or
 * climbs out of the folder it is extracted into; every segment is lib/aws/keys.ts's safe file name
 * (control and invisible characters removed, backslashes and slash look-alikes → `_`, leading
 * dots trimmed). Never empty.
 */
function safeSegments(name: string): string[] {
  const segments = name
    .split('/')
    .map((segment) => segment.trim())
    .filter((segment) => segment !== '' && segment !== '.' && segment !== '..')
    .map((segment) => safeFileName(fitSegment(segment)));
  return segments.length > 0 ? segments : [UNTITLED];
}

/**
 * The zip entry name of each display name, in order: safe (see above) and unique, compared
 * without case (Windows and macOS file systems ignore it) and against the folders other entries
 * create; a duplicate gets the next free name, `a (1).txt`, `a (2).txt`… (lib/aws/keys.ts's
 * collision rule). Runs anywhere; never throws for any string.
 */
export function zipEntryNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    const segments = safeSegments(name);
    const file = segments.pop() ?? UNTITLED;
    const folder = segments.map((segment) => `${segment}/`).join('');
    const entry = folder + nextFreeName(file, (candidate) => taken.has((folder + candidate).toLowerCase()));
    taken.add(entry.toLowerCase());
    let path = '';
    for (const segment of segments) {
      path += segment;
      taken.add(path.toLowerCase());
      path += '/';
    }
    return entry;
  });
}

/**
 * The path in a folder's zip of one of the person's own file keys under the folder `folder`: the
 * folder's own name, then the folders inside it, then the file's name (`Trip/Day 1/a.jpg` for
 * `private/{id}/Photos/Trip/Day 1/a.jpg` zipped from `['Photos', 'Trip']`). Null for a key that is
 * not a file under the folder (a folder marker `…/`, another person's key, a key outside it, a
 * hidden folder or a name lib/aws/keys.ts would not read). Pure; never throws.
 */
export function folderZipPath(identityId: string, folder: FolderPath, key: string): string | null {
  const top = folder.at(-1);
  const parts = splitOwnKey(identityId, key);
  if (top === undefined || !parts || parts.path.length < folder.length) return null;
  if (!folder.every((segment, index) => parts.path[index] === segment)) return null;
  return [top, ...parts.path.slice(folder.length), parts.name].join('/');
}
