'use client';

import { type FormEvent, useEffect, useId, useRef, useState } from 'react';

/** What a rename attempt came to: done, or refused with words for the person and maybe a free name to offer. */
export type RenameOutcome = { ok: true } | { ok: false; problem: string; suggestion: string | null };

/**
 * The rename form of files and folders: the new name, our own check before anything is sent, the
 * server's refusal under the field and, when the name is taken, the next free name as a one-click
 * choice. `selectEnd` is where the initial selection stops (a file's name without its extension).
 */
export function RenameForm({
  current,
  selectEnd = current.length,
  check,
  rename,
  onClose,
}: {
  current: string;
  selectEnd?: number;
  check: (wanted: string) => string | null;
  rename: (wanted: string) => Promise<RenameOutcome>;
  onClose: () => void;
}) {
  const [name, setName] = useState(current);
  const [problem, setProblem] = useState<string | null>(null);
  /** The next free name the server offered when the wanted one is taken. */
  const [suggestion, setSuggestion] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const problemId = useId();

  useEffect(() => {
    input.current?.setSelectionRange(0, selectEnd);
  }, [selectEnd]);

  const attempt = async (wanted: string) => {
    const local = check(wanted);
    if (local) {
      setProblem(local);
      input.current?.focus();
      return;
    }
    if (wanted === current) return onClose();
    setPending(true);
    const outcome = await rename(wanted);
    setPending(false);
    if (outcome.ok) return;
    setProblem(outcome.problem);
    setSuggestion(outcome.suggestion);
    input.current?.focus();
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void attempt(name.trim());
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
              void attempt(suggestion);
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
