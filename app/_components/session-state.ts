'use client';

import { useSyncExternalStore } from 'react';

/**
 * The browser's view of whether the person is still signed in, shared by every component of the
 * page: a server action that answers `unauthenticated` or `session_ended` (signed out in another
 * tab, past the idle or absolute timeout, refresh refused) flips it once, and the header, the
 * "signed out" notice and the upload queue follow. Other tabs of this browser hear of a sign-out
 * through a BroadcastChannel; the server's answer stays the authority in every tab.
 */

const CHANNEL = 'cubby-session';
const SIGNED_OUT = 'signed-out';

let signedOut = false;
const listeners = new Set<() => void>();
let channel: BroadcastChannel | null | undefined;

function sessionChannel(): BroadcastChannel | null {
  if (channel === undefined) {
    channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);
    channel?.addEventListener('message', (event: MessageEvent) => {
      if (event.data === SIGNED_OUT) setSignedOut();
    });
  }
  return channel;
}

function setSignedOut(): void {
  if (signedOut) return;
  signedOut = true;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  sessionChannel();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** True for the codes that mean "this browser's session is gone": the person must sign in again. */
export function endsSession(code: string): boolean {
  return code === 'unauthenticated' || code === 'session_ended';
}

/** Records that the session ended (and tells the browser's other tabs). Idempotent. */
export function markSignedOut(): void {
  if (signedOut) return;
  setSignedOut();
  sessionChannel()?.postMessage(SIGNED_OUT);
}

/** Tells the browser's other tabs that this one is signing out (this tab leaves the page anyway). */
export function announceSignOut(): void {
  sessionChannel()?.postMessage(SIGNED_OUT);
}

/** Whether the session is known to have ended, outside React (e.g. in an upload callback). */
export function isSignedOut(): boolean {
  return signedOut;
}

/** Whether the session is known to have ended; re-renders when it does. False on the server. */
export function useSignedOut(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => signedOut,
    () => false,
  );
}

/** Where "Sign in again" goes: sign-in, then back to this very page (path and query). */
export function signInAgainHref(): string {
  const here = typeof window === 'undefined' ? '/files' : `${window.location.pathname}${window.location.search}`;
  return `/auth/login?returnTo=${encodeURIComponent(here)}`;
}
