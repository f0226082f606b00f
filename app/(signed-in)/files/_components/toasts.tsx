'use client';

import { createContext, type ReactNode, useCallback, useContext, useRef, useState } from 'react';

export type ToastKind = 'success' | 'error';
/** A button in a toast (e.g. Undo right after a delete); pressing it runs `run` and dismisses the toast. */
export interface ToastAction {
  label: string;
  run: () => void;
}
export type Notify = (kind: ToastKind, message: string, action?: ToastAction) => void;

interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
  action?: ToastAction;
}

/** How long a toast with a button stays: long enough to reach it with the keyboard. */
const ACTION_TOAST_MS = 15_000;

/** Toasts on screen at once; older ones make room. */
const MAX_TOASTS = 4;

const ToastContext = createContext<Notify>(() => {});

/** The `notify(kind, message)` of the nearest {@link ToastProvider}. Messages are for people: never raw errors. */
export function useToast(): Notify {
  return useContext(ToastContext);
}

/**
 * Short-lived messages in one polite live region (present from the first render, so screen
 * readers announce what is added). Successes leave after 5 s, failures after 8 s, toasts with a
 * button (Undo) after 15 s; each can be dismissed.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((current) => current.filter((toast) => toast.id !== id)), []);
  const notify = useCallback<Notify>(
    (kind, message, action) => {
      const id = nextId.current++;
      setToasts((current) => [...current.slice(-(MAX_TOASTS - 1)), { id, kind, message, action }]);
      setTimeout(() => dismiss(id), action ? ACTION_TOAST_MS : kind === 'error' ? 8000 : 5000);
    },
    [dismiss],
  );

  return (
    <ToastContext value={notify}>
      {children}
      <div className="toasts" role="status" aria-live="polite" data-testid="toasts">
        {toasts.map((toast) => (
          <div key={toast.id} className={`toast toast-${toast.kind}`}>
            <span className="visually-hidden">{toast.kind === 'error' ? 'Error: ' : ''}</span>
            <span className="toast-message">{toast.message}</span>
            {toast.action ? (
              <button
                type="button"
                className="link-button toast-action"
                onClick={() => {
                  dismiss(toast.id);
                  toast.action?.run();
                }}
              >
                {toast.action.label}
              </button>
            ) : null}
            <button type="button" className="icon-button" aria-label="Dismiss message" onClick={() => dismiss(toast.id)}>
              <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path d="M6 6l12 12M18 6L6 18" />
              </svg>
            </button>
          </div>
        ))}
      </div>
    </ToastContext>
  );
}
