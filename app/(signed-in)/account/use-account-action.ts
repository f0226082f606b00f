'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { call } from '@/app/_components/call';
import type { ActionResult } from '@/lib/files/types';

/** What a form shows after its action: a success line or the action's friendly failure. */
export interface FormStatus {
  ok: boolean;
  text: string;
}

/**
 * Runs an /account server action from a form (through `call`, so a session that ended marks the
 * page signed out), keeps its status line, and refreshes the page's server data on success.
 */
export function useAccountAction() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [status, setStatus] = useState<FormStatus | null>(null);

  function run<T>(action: () => Promise<ActionResult<T>>, success: string | ((value: T) => string), after?: (value: T) => void) {
    startTransition(async () => {
      const result = await call(action);
      if (!result.ok) {
        setStatus({ ok: false, text: result.message });
        return;
      }
      setStatus({ ok: true, text: typeof success === 'string' ? success : success(result.value) });
      after?.(result.value);
      router.refresh();
    });
  }

  return { pending, status, setStatus, run };
}
