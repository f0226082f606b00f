'use client';

import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { call } from '@/app/_components/call';
import { nameTooLongMessage } from '@/lib/files/limits';
import type { FileItem } from '@/lib/files/types';
import { renameFile } from '../actions';
import { fileNameProblem } from './format';
import { Modal } from './modal';

function RenameForm({ file, onClose, onRenamed }: { file: FileItem; onClose: () => void; onRenamed: (file: FileItem) => void }) {
  const [name, setName] = useState(file.name);
  const [problem, setProblem] = useState<string | null>(null);
  /** The next free name the server offered when the wanted one is taken. */
  const [suggestion, setSuggestion] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const problemId = useId();

  useEffect(() => {
    // Select the name without its extension, as file managers do.
    const dot = file.name.lastIndexOf('.');
    input.current?.setSelectionRange(0, dot > 0 ? dot : file.name.length);
  }, [file.name]);

  const rename = async (wanted: string) => {
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
    // The server's words, except for a name that is too long: ours also say how long it is.
    setProblem(result.code === 'name_too_long' ? nameTooLongMessage(wanted) : result.message);
    setSuggestion(result.code === 'name_taken' ? (result.details?.suggestion ?? null) : null);
    input.current?.focus();
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void rename(name.trim());
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
          setSuggestion(null);
        }}
      />
      <p id={problemId} className="field-error" role="alert">
        {problem}
      </p>
      {suggestion ? (
        <p className="rename-suggestion">
          <button
            type="button"
            className="button button-quiet"
            disabled={pending}
            onClick={() => {
              setName(suggestion);
              void rename(suggestion);
            }}
          >
            Rename to “{suggestion}”
          </button>
        </p>
      ) : null}
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
      {file ? <RenameForm key={file.key} file={file} onClose={onClose} onRenamed={onRenamed} /> : null}
    </Modal>
  );
}
