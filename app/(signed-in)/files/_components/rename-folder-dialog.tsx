'use client';

import type { MoveJob } from '@/lib/files/move-schemas';
import type { ActionResult } from '@/lib/files/types';
import { Modal } from './modal';
import { RenameForm, type RenameOutcome } from './rename-form';

function RenameFolderForm({
  path,
  onClose,
  onRename,
}: {
  path: string[];
  onClose: () => void;
  onRename: (name: string) => Promise<ActionResult<MoveJob>>;
}) {
  const rename = async (wanted: string): Promise<RenameOutcome> => {
    const result = await onRename(wanted);
    if (result.ok) {
      onClose();
      return { ok: true };
    }
    return {
      ok: false,
      problem: result.code === 'invalid_input' ? 'That name cannot be a folder name. Try another one.' : result.message,
      suggestion: result.code === 'folder_taken' ? (result.details?.suggestion ?? null) : null,
    };
  };
  return (
    <RenameForm
      current={path.at(-1) ?? ''}
      check={(wanted) => (wanted ? null : 'Type a name for the folder.')}
      rename={rename}
      onClose={onClose}
    />
  );
}

/**
 * Renames a folder (closed when `path` is null): a move of the folder to the new name in the same
 * parent, so a big folder shows the move's progress. A taken name is refused with the next free one
 * offered as a one-click choice.
 */
export function RenameFolderDialog({
  path,
  onClose,
  onRename,
}: {
  path: string[] | null;
  onClose: () => void;
  onRename: (path: string[], name: string) => Promise<ActionResult<MoveJob>>;
}) {
  return (
    <Modal open={path !== null} title="Rename folder" onClose={onClose} testId="rename-folder-dialog">
      {path ? (
        <RenameFolderForm key={path.join('/')} path={path} onClose={onClose} onRename={(name) => onRename(path, name)} />
      ) : null}
    </Modal>
  );
}
