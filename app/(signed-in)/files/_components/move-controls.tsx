'use client';

import { type DragEvent, useCallback, useState } from 'react';
import type { FileItem } from '@/lib/files/types';
import { MoveDialog, type MoveSelection } from './move-dialog';
import { type MoveDragPayload, startMoveDrag } from './move-drag';
import { MovePanel } from './move-panel';
import { RenameFolderDialog } from './rename-folder-dialog';
import type { Notify } from './toasts';
import { type MoveLabels, useMove } from './use-move';

function labelsOf(files: number, folders: number, destination: readonly string[]): MoveLabels {
  const count = files + folders;
  const what = count === 1 ? (folders === 1 ? 'a folder' : 'a file') : `${count} items`;
  const where = `“${destination.at(-1) ?? 'Your files'}”`;
  return { running: `Moving ${what} to ${where}`, done: `Moved ${what} to ${where}.` };
}

/**
 * Everything the file manager needs to move things, in one hook so its own file stays small:
 * `moveFiles`/`moveFolder` open "Move to…", `renameFolder` opens the folder rename dialog,
 * `drop(destination, payload)` moves what was dragged onto a folder row or breadcrumb,
 * `dragRows(event, keys, folders)` starts a drag; `panel` (progress) and `dialogs` go in the page.
 */
export function useMoveControls(notify: Notify, refresh: () => void) {
  const move = useMove(notify, refresh);
  const [selection, setSelection] = useState<MoveSelection | null>(null);
  const [renaming, setRenaming] = useState<string[] | null>(null);

  const moveFiles = useCallback((files: readonly FileItem[]) => {
    if (files.length > 0) setSelection({ files: files.map(({ key, name }) => ({ key, name })), folders: [] });
  }, []);
  const moveFolder = useCallback((path: string[]) => setSelection({ files: [], folders: [path] }), []);
  const renameFolder = useCallback((path: string[]) => setRenaming(path), []);

  const { start } = move;
  const moveTo = useCallback(
    (chosen: MoveSelection, destination: string[]) =>
      start(
        { files: chosen.files.map((file) => file.key), folders: chosen.folders, destination },
        labelsOf(chosen.files.length, chosen.folders.length, destination),
      ),
    [start],
  );

  const drop = useCallback(
    async (destination: string[], payload: MoveDragPayload) => {
      const folders = payload.folders.filter((folder) => folder.join('/') !== destination.join('/'));
      if (payload.files.length + folders.length === 0) return;
      const result = await start(
        { files: payload.files, folders, destination },
        labelsOf(payload.files.length, folders.length, destination),
      );
      if (!result.ok) notify('error', result.message);
    },
    [start, notify],
  );

  const dragRows = useCallback((event: DragEvent, files: readonly string[], folders: readonly string[][] = []) => {
    startMoveDrag(event, { files: [...files], folders: folders.map((folder) => [...folder]) });
  }, []);

  const panel = <MovePanel state={move.state} onResume={move.resume} onDismiss={move.dismiss} />;
  const dialogs = (
    <>
      <MoveDialog selection={selection} onClose={() => setSelection(null)} onMove={moveTo} />
      <RenameFolderDialog
        path={renaming}
        onClose={() => setRenaming(null)}
        onRename={(path, name) =>
          start(
            { files: [], folders: [path], destination: path.slice(0, -1), rename: name },
            { running: `Renaming “${path.at(-1)}”`, done: `Renamed “${path.at(-1)}” to “${name}”.` },
          )
        }
      />
    </>
  );

  return { moveFiles, moveFolder, renameFolder, drop, dragRows, panel, dialogs, busy: move.state.phase === 'running' };
}
