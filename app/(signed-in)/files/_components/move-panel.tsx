'use client';

import { useId } from 'react';
import type { MoveState } from './use-move';

/**
 * A move's progress: moved of total while it runs; after a failure, how much moved and what did
 * not (an alert) with Resume and Dismiss. Nothing when idle.
 */
export function MovePanel({ state, onResume, onDismiss }: { state: MoveState; onResume: () => void; onDismiss: () => void }) {
  const titleId = useId();
  if (state.phase === 'idle') return null;
  const left = Math.max(0, state.total - state.moved);
  return (
    <section className="uploads" aria-labelledby={titleId} aria-busy={state.phase === 'running'} data-testid="move-panel">
      <div className="uploads-head">
        <h2 id={titleId} className="section-heading">
          {state.phase === 'running' ? state.label : `${state.label}: stopped`}
        </h2>
        {state.phase === 'failed' ? (
          <span className="uploads-head-actions">
            <button type="button" className="button button-primary" onClick={onResume}>
              Resume
            </button>
            <button type="button" className="button button-quiet" onClick={onDismiss}>
              Dismiss
            </button>
          </span>
        ) : null}
      </div>
      <progress className="upload-progress" aria-labelledby={titleId} max={Math.max(state.total, 1)} value={state.moved} />
      <p className="upload-stats" data-testid="move-progress">
        Moved {state.moved} of {state.total}
        {state.phase === 'failed' ? ` · ${left} not moved yet` : ''}
      </p>
      {state.phase === 'failed' ? (
        <p className="upload-error" role="alert" data-testid="move-error">
          {state.message}
          {state.notMoved.length > 0 ? ` Not moved: ${state.notMoved.join(', ')}${left > state.notMoved.length ? '…' : ''}.` : ''}{' '}
          Resume moves the rest; nothing already moved is moved twice.
        </p>
      ) : null}
    </section>
  );
}
