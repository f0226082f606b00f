'use client';

import { useEffect, useState } from 'react';
import { call } from '@/app/_components/call';
import type { FolderContents } from '@/lib/files/folders';
import type { ListedFolder } from '@/lib/files/types';
import { folderContents, removeFolder } from '../folder-actions';
import { undoDelete } from '../trash-actions';
import { formatBytes } from './format';
import { Modal } from './modal';
import type { Notify } from './toasts';

function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en')} ${noun}${count === 1 ? '' : 's'}`;
}

function Confirm({
  folder,
  onClose,
  onDeleted,
  onRestored,
  notify,
}: {
  folder: ListedFolder;
  onClose: () => void;
  onDeleted: () => void;
  onRestored: () => void;
  notify: Notify;
}) {
  const [counts, setCounts] = useState<FolderContents | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  useEffect(() => {
    let live = true;
    void call(() => folderContents({ path: folder.path })).then((result) => {
      if (!live) return;
      if (result.ok) setCounts(result.value);
      else setProblem(result.message);
    });
    return () => {
      live = false;
    };
  }, [folder.path]);

  const confirm = async () => {
    setPending(true);
    const result = await call(() => removeFolder({ path: folder.path }));
    setPending(false);
    if (!result.ok) return setProblem(result.message);
    const { batch } = result.value;
    const undo = {
      label: 'Undo',
      run: () =>
        void call(() => undoDelete({ batch })).then((restored) => {
          if (!restored.ok) return notify('error', restored.message);
          if (restored.value.failed.length > 0) notify('error', 'Not everything could be restored. Open Trash to try again.');
          else notify('success', `Restored the folder “${folder.name}”.`);
          onRestored();
        }),
    };
    if (result.value.failed > 0)
      notify('error', `${plural(result.value.failed, 'item')} in “${folder.name}” could not be deleted. Try again.`);
    else notify('success', `Moved the folder “${folder.name}” to the trash.`, batch ? undo : undefined);
    onDeleted();
  };

  return (
    <>
      <p data-testid="delete-folder-counts" aria-live="polite">
        {counts
          ? `“${folder.name}” and everything in it will be moved to the trash: ${plural(counts.files, 'file')} and ${plural(counts.folders, 'folder')} inside it (${formatBytes(counts.bytes)}).`
          : problem
            ? null
            : 'Counting what is in the folder…'}
      </p>
      {problem ? (
        <p className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="button button-quiet" data-autofocus onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="button button-danger" disabled={pending || !counts} onClick={() => void confirm()}>
          {pending ? 'Deleting…' : 'Delete folder'}
        </button>
      </div>
    </>
  );
}

/**
 * Confirms deleting a folder with everything in it, after counting what it holds (files, folders,
 * bytes), then moves it all to the trash as one batch; the toast offers Undo (`onRestored` runs
 * once it is back). The focus starts on Cancel.
 */
export function DeleteFolderDialog({
  folder,
  onClose,
  onDeleted,
  onRestored,
  notify,
}: {
  folder: ListedFolder | null;
  onClose: () => void;
  onDeleted: () => void;
  onRestored: () => void;
  notify: Notify;
}) {
  return (
    <Modal open={folder !== null} title="Delete folder" onClose={onClose} testId="delete-folder-dialog">
      {folder ? (
        <Confirm
          key={folder.path.join('/')}
          folder={folder}
          onClose={onClose}
          onDeleted={onDeleted}
          onRestored={onRestored}
          notify={notify}
        />
      ) : null}
    </Modal>
  );
}
