'use client';

import { call } from '@/app/_components/call';
import { nameTooLongMessage } from '@/lib/files/limits';
import type { FileItem } from '@/lib/files/types';
import { renameFile } from '../actions';
import { fileNameProblem } from './format';
import { Modal } from './modal';
import { RenameForm, type RenameOutcome } from './rename-form';

function RenameFileForm({
  file,
  onClose,
  onRenamed,
}: {
  file: FileItem;
  onClose: () => void;
  onRenamed: (file: FileItem) => void;
}) {
  const dot = file.name.lastIndexOf('.');
  const rename = async (wanted: string): Promise<RenameOutcome> => {
    const result = await call(() => renameFile({ key: file.key, name: wanted }));
    if (result.ok) {
      onRenamed(result.value);
      return { ok: true };
    }
    return {
      ok: false,
      // The server's words, except for a name that is too long: ours also say how long it is.
      problem: result.code === 'name_too_long' ? nameTooLongMessage(wanted) : result.message,
      suggestion: result.code === 'name_taken' ? (result.details?.suggestion ?? null) : null,
    };
  };
  // The name is selected without its extension, as file managers do.
  return (
    <RenameForm
      current={file.name}
      selectEnd={dot > 0 ? dot : file.name.length}
      check={fileNameProblem}
      rename={rename}
      onClose={onClose}
    />
  );
}

/**
 * Renames `file` (closed when null); shows our check's or the server's message on failure and,
 * when the name is taken, the next free name as a one-click choice.
 */
export function RenameDialog({
  file,
  onClose,
  onRenamed,
}: {
  file: FileItem | null;
  onClose: () => void;
  onRenamed: (file: FileItem) => void;
}) {
  return (
    <Modal open={file !== null} title="Rename file" onClose={onClose} testId="rename-dialog">
      {file ? <RenameFileForm key={file.key} file={file} onClose={onClose} onRenamed={onRenamed} /> : null}
    </Modal>
  );
}
