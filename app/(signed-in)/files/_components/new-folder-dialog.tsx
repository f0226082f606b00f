'use client';

import { type FormEvent, useId, useRef, useState } from 'react';
import { call } from '@/app/_components/call';
import { FOLDER_TOO_DEEP_MESSAGE, fitsFolderLimits, nameTooLongMessage } from '@/lib/files/limits';
import { makeFolder } from '../folder-actions';
import { fileNameProblem } from './format';
import { Modal } from './modal';

function NewFolderForm({
  parent,
  onClose,
  onCreated,
}: {
  parent: readonly string[];
  onClose: () => void;
  onCreated: (path: string[]) => void;
}) {
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const problemId = useId();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const wanted = name.trim();
    const local = fileNameProblem(wanted) ?? (fitsFolderLimits([...parent, wanted]) ? null : FOLDER_TOO_DEEP_MESSAGE);
    if (local) {
      setProblem(local);
      input.current?.focus();
      return;
    }
    setPending(true);
    const result = await call(() => makeFolder({ parent: [...parent], name: wanted }));
    setPending(false);
    if (result.ok) return onCreated(result.value.path);
    setProblem(result.code === 'name_too_long' ? nameTooLongMessage(wanted) : result.message);
    input.current?.focus();
  };

  return (
    <form className="rename-form" noValidate onSubmit={(event) => void submit(event)}>
      <label htmlFor={inputId}>Folder name</label>
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
          {pending ? 'Creating…' : 'Create'}
        </button>
      </div>
    </form>
  );
}

/**
 * Creates a folder in `parent` (closed when `open` is false). The name is checked here first (the
 * same rules as the server: lib/files/limits.ts), then created create-only on S3: an existing
 * folder is refused with the server's words.
 */
export function NewFolderDialog({
  open,
  parent,
  onClose,
  onCreated,
}: {
  open: boolean;
  parent: readonly string[];
  onClose: () => void;
  onCreated: (path: string[]) => void;
}) {
  return (
    <Modal open={open} title="New folder" onClose={onClose} testId="new-folder-dialog">
      {open ? <NewFolderForm parent={parent} onClose={onClose} onCreated={onCreated} /> : null}
    </Modal>
  );
}
