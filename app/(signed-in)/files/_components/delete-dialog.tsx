'use client';

import { useState } from 'react';
import { call } from '@/app/_components/call';
import type { FileItem } from '@/lib/files/types';
import { deleteFiles } from '../actions';
import { Modal } from './modal';
import type { Notify } from './toasts';

/** Names listed in the confirmation before "and N more". */
const LISTED = 5;

function Confirm({
  files,
  onClose,
  onDeleted,
  notify,
}: {
  files: readonly FileItem[];
  onClose: () => void;
  onDeleted: (keys: readonly string[]) => void;
  notify: Notify;
}) {
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const confirm = async () => {
    setPending(true);
    const result = await call(() => deleteFiles({ keys: files.map((file) => file.key) }));
    setPending(false);
    if (!result.ok) return setProblem(result.message);
    const { deleted } = result.value;
    const only = files.length === 1 ? files[0] : undefined;
    if (deleted.length === files.length) notify('success', only ? `Deleted “${only.name}”.` : `Deleted ${deleted.length} files.`);
    else notify('error', `${files.length - deleted.length} of ${files.length} files could not be deleted. Try again.`);
    onDeleted(deleted);
  };

  return (
    <>
      <p>
        {files.length === 1 ? 'This file will be deleted for good:' : `These ${files.length} files will be deleted for good:`}
      </p>
      <ul className="delete-list">
        {files.slice(0, LISTED).map((file) => (
          <li key={file.key}>{file.name}</li>
        ))}
        {files.length > LISTED ? <li>and {files.length - LISTED} more</li> : null}
      </ul>
      <p className="muted">This cannot be undone.</p>
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

/** Confirms and deletes `files` (closed when null); the focus starts on Cancel. */
export function DeleteDialog({
  files,
  onClose,
  onDeleted,
  notify,
}: {
  files: readonly FileItem[] | null;
  onClose: () => void;
  onDeleted: (keys: readonly string[]) => void;
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
      {files ? <Confirm files={files} onClose={onClose} onDeleted={onDeleted} notify={notify} /> : null}
    </Modal>
  );
}
