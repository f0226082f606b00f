'use client';

import { type FormEvent, useId, useRef, useState } from 'react';
import type { MoveJob } from '@/lib/files/move-schemas';
import type { ActionResult } from '@/lib/files/types';
import { Modal } from './modal';

function RenameFolderForm({
  path,
  onClose,
  onRename,
}: {
  path: string[];
  onClose: () => void;
  onRename: (name: string) => Promise<ActionResult<MoveJob>>;
}) {
  const current = path.at(-1) ?? '';
  const [name, setName] = useState(current);
  const [problem, setProblem] = useState<string | null>(null);
  const [suggestion, setSuggestion] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const problemId = useId();

  const rename = async (wanted: string) => {
    if (!wanted) {
      setProblem('Type a name for the folder.');
      return input.current?.focus();
    }
    if (wanted === current) return onClose();
    setPending(true);
    const result = await onRename(wanted);
    setPending(false);
    if (result.ok) return onClose();
    setProblem(result.code === 'invalid_input' ? 'That name cannot be a folder name. Try another one.' : result.message);
    setSuggestion(result.code === 'folder_taken' ? (result.details?.suggestion ?? null) : null);
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
