/**
 * Tells this browser's other Cubby tabs that the person's files changed (an upload finished, a
 * rename, a delete, a publish), so their lists reload at once instead of waiting for the next
 * click. Only a nudge: what a list shows always comes from the server.
 */

const CHANNEL = 'cubby-files';

let channel: BroadcastChannel | null | undefined;

function filesChannel(): BroadcastChannel | null {
  if (channel === undefined) channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);
  return channel;
}

/** Announces a change to the other tabs (not to this one). */
export function announceFilesChanged(): void {
  filesChannel()?.postMessage('changed');
}

/** Calls `listener` whenever another tab announces a change; returns the unsubscribe function. */
export function onFilesChanged(listener: () => void): () => void {
  const current = filesChannel();
  if (!current) return () => {};
  const handle = () => listener();
  current.addEventListener('message', handle);
  return () => current.removeEventListener('message', handle);
}
