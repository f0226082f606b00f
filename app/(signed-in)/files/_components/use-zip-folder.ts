'use client';

import { useCallback, useRef, useState } from 'react';
import { call } from '@/app/_components/call';
import { getFolderZipFiles } from '../zip-actions';
import type { Notify } from './toasts';
import type { ZipSource } from './zip-stream';

/**
 * "Download as zip" for a folder: asks the server for every file under it (at any depth, with its
 * path in the zip, `Trip/Day 1/a.jpg`), then hands them to the zip download (`start`, from
 * zip-panel's hook) as `{folder}.zip`. An empty folder or a refused listing (too many files,
 * storage down) is a toast. `listing` is true while the server lists.
 */
export function useZipFolder(start: (files: readonly ZipSource[], fileName: string) => void, notify: Notify) {
  const [listing, setListing] = useState(false);
  const busy = useRef(false);
  const zipFolder = useCallback(
    async (path: readonly string[]) => {
      const name = path.at(-1);
      if (name === undefined || busy.current) return;
      busy.current = true;
      setListing(true);
      const result = await call(() => getFolderZipFiles({ path: [...path] }));
      busy.current = false;
      setListing(false);
      if (!result.ok) return notify('error', result.message);
      if (result.value.length === 0) return notify('error', `The folder “${name}” has no files, so there is nothing to zip.`);
      start(result.value, `${name}.zip`);
    },
    [start, notify],
  );
  return { zipFolder, listing };
}
