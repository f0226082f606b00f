'use client';

import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { FileItem } from '@/lib/files/types';
import { renameFile } from '../actions';
import { call } from './call';
import { fileNameProblem } from './format';
import { Modal } from './modal';

function RenameForm({ file, onClose, onRenamed }: { file: FileItem; onClose: () => void; onRenamed: (file: FileItem) => void }) {
  const [name, setName] = useState(file.name);
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const problemId = useId();

  useEffect(() => {
    // Select the name without its extension, as file managers do.
    const dot = file.name.lastIndexOf('.');
    input.current?.setSelectionRange(0, dot > 0 ? dot : file.name.length);
  }, [file.name]);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const wanted = name.trim();
    const local = fileNameProblem(wanted);
    if (local) {
      setProblem(local);
      input.current?.focus();
      return;
    }
    if (wanted === file.name) return onClose();
    setPending(true);
    const result = await call(() => renameFile({ key: file.key, name: wanted }));
    setPending(false);
    if (result.ok) return onRenamed(result.value);
    setProblem(result.message);
    input.current?.focus();
  };

  return (
    <form className="rename-form" noValidate onSubmit={submit}>
      <label htmlFor={inputId}>New name</label>
      <input
        ref={input}
        id={inputId}
        className="text-input"
        type="text"
        value={name}
        autoComplete="off"
        spellCheck={false}
        data-autofocus
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? problemId : undefined}
        onChange={(event) => {
          setName(event.target.value);
          setProblem(null);
        }}
      />
      <p id={problemId} className="field-error" role="alert">
        {problem}
      </p>
      <div className="dialog-actions">
        <button type="button" className="button button-quiet" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? 'Renaming…' : 'Rename'}
        </button>
      </div>
    </form>
  );
}

/** Renames `file` (closed when null); shows our check's or the server's message on failure. */
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
      {file ? <RenameForm key={file.key} file={file} onClose={onClose} onRenamed={onRenamed} /> : null}
    </Modal>
  );
}
