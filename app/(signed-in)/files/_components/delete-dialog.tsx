'use client';

import { useState } from 'react';
import { call } from '@/app/_components/call';
import { TRASH_RETENTION_DAYS } from '@/lib/aws/policies';
import type { FileItem } from '@/lib/files/types';
import { deleteFiles } from '../actions';
import { undoDelete } from '../trash-actions';
import { Modal } from './modal';
import type { Notify } from './toasts';

/** Names listed in the confirmation before "and N more". */
const LISTED = 5;

/** Undo: restores the delete's batch from the trash, then says what came back. */
async function undo(batch: string, notify: Notify, onRestored: () => void): Promise<void> {
  const result = await call(() => undoDelete({ batch }));
  if (!result.ok) return notify('error', result.message);
  const { restored, failed } = result.value;
  const renamed = restored.filter((entry) => entry.renamed);
  if (failed.length > 0)
    notify('error', `${failed.length} of ${restored.length + failed.length} could not be restored. Open Trash to try again.`);
  else if (renamed.length === 1 && restored.length === 1)
    notify('success', `Restored as “${renamed[0]?.name}” (the name was taken).`);
  else notify('success', restored.length === 1 ? 'Restored.' : `Restored ${restored.length} items.`);
  onRestored();
}

function Confirm({
  files,
  onClose,
  onDeleted,
  onRestored,
  notify,
}: {
  files: readonly FileItem[];
  onClose: () => void;
  onDeleted: (keys: readonly string[]) => void;
  onRestored: () => void;
  notify: Notify;
}) {
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const confirm = async () => {
    setPending(true);
    const result = await call(() => deleteFiles({ keys: files.map((file) => file.key) }));
    setPending(false);
    if (!result.ok) return setProblem(result.message);
    const { deleted, batch } = result.value;
    const only = files.length === 1 ? files[0] : undefined;
    const action = { label: 'Undo', run: () => void undo(batch, notify, onRestored) };
    if (deleted.length === files.length) {
      notify('success', only ? `Moved “${only.name}” to the trash.` : `Moved ${deleted.length} files to the trash.`, action);
    } else {
      notify(
        'error',
        `${files.length - deleted.length} of ${files.length} files could not be deleted. Try again.`,
        deleted.length > 0 ? action : undefined,
      );
    }
    onDeleted(deleted);
  };

  return (
    <>
      <p>
        {files.length === 1 ? 'This file will be moved to the trash:' : `These ${files.length} files will be moved to the trash:`}
      </p>
      <ul className="delete-list">
        {files.slice(0, LISTED).map((file) => (
          <li key={file.key}>{file.name}</li>
        ))}
        {files.length > LISTED ? <li>and {files.length - LISTED} more</li> : null}
      </ul>
      <p className="muted">
        You can restore {files.length === 1 ? 'it' : 'them'} from Trash for {TRASH_RETENTION_DAYS} days; then{' '}
        {files.length === 1 ? 'it is' : 'they are'} deleted for good.
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
        <button type="button" className="button button-danger" disabled={pending} onClick={confirm}>
          {pending ? 'Deleting…' : files.length === 1 ? 'Delete' : `Delete ${files.length} files`}
        </button>
      </div>
    </>
  );
}

/**
 * Confirms and deletes `files` (closed when null): they move to the trash, and the toast that
 * says so offers Undo (`onRestored` runs once they are back). The focus starts on Cancel.
 */
export function DeleteDialog({
  files,
  onClose,
  onDeleted,
  onRestored,
  notify,
}: {
  files: readonly FileItem[] | null;
  onClose: () => void;
  onDeleted: (keys: readonly string[]) => void;
  onRestored: () => void;
  notify: Notify;
}) {
  const count = files?.length ?? 0;
  return (
    <Modal
      open={files !== null}
      title={count === 1 ? 'Delete this file?' : `Delete ${count} files?`}
      onClose={onClose}
      testId="delete-dialog"
    >
      {files ? <Confirm files={files} onClose={onClose} onDeleted={onDeleted} onRestored={onRestored} notify={notify} /> : null}
    </Modal>
  );
}
