import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { MAX_REQUEST_BODY_BYTES } from '../../lib/http/body-limit.ts';
import { E2E_APP_URL } from '../helpers/e2e-env.ts';
import { E2E_APP_LOG, fromRepositoryRoot } from '../logscan/log-files.ts';

/**
 * Hardening over plain HTTP against the production server (issue 12 §4): state-changing requests
 * from anywhere but Cubby's own pages are refused (403), bodies over the limit get a plain 413
 * (not Next's 500 with a stack), and the sign-in callback sends no Referer.
 */

/** A server action request as Next's client sends it (the action id does not matter: refusals come first). */
const ACTION_HEADERS = { 'next-action': '7f00000000000000000000000000000000000000', 'content-type': 'text/plain;charset=UTF-8' };

/**
 * The id of a real server action of this build (getDownloadUrl on /files), from Next's manifest:
 * with a made-up id Next refuses before reading the body, so only a real one shows the limit.
 */
function realActionId(): string {
  const manifest = JSON.parse(fs.readFileSync(fromRepositoryRoot('.next/server/server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { exportedName?: string }>;
  };
  const id = Object.entries(manifest.node).find(([, action]) => action.exportedName === 'getDownloadUrl')?.[0];
  if (!id) throw new Error('no getDownloadUrl action in the build');
  return id;
}

interface LogEvent {
  level: string;
  event: string;
  requestId?: string;
}

/** The app server's log lines for one request id (JSON lines; anything else, e.g. a stack, counts as a stray line). */
function linesOf(requestId: string): { events: LogEvent[]; stray: string[] } {
  const text = fs.readFileSync(fromRepositoryRoot(E2E_APP_LOG), 'utf8');
  const events: LogEvent[] = [];
  const stray: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const event = JSON.parse(line) as LogEvent;
      if (event.requestId === requestId) events.push(event);
    } catch {
      stray.push(line.slice(0, 80));
    }
  }
  return { events, stray };
}

test.describe('state-changing requests from elsewhere (CSRF)', () => {
  const refused: [string, Record<string, string>][] = [
    ['neither Origin nor Sec-Fetch-Site', {}],
    ['a cross-site Origin', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site cross-site without Origin', { 'sec-fetch-site': 'cross-site' }],
    ['a same-site (sibling) Sec-Fetch-Site without Origin', { 'sec-fetch-site': 'same-site' }],
  ];
  for (const [label, headers] of refused) {
    test(`a server action with ${label} is refused with a plain 403`, async ({ request }) => {
      const requestId = `csrf-${randomUUID()}`;
      const response = await request.post('/files', {
        headers: { ...ACTION_HEADERS, ...headers, 'x-request-id': requestId },
        data: '[]',
        maxRedirects: 0,
      });
      expect(response.status()).toBe(403);
      expect(response.headers()['content-type']).toMatch(/^text\/plain/);
      const body = await response.text();
      expect(body).not.toMatch(/at .+\(|Error:|<html/i);
      await expect
        .poll(() => linesOf(requestId).events.map((event) => `${event.level} ${event.event}`))
        .toEqual(['warn http.csrf_refused']);
    });
  }

  test('POST /auth/logout from another site is refused with a 403 before the route runs', async ({ request }) => {
    const cases: Record<string, string>[] = [{}, { origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }];
    for (const headers of cases) {
      const response = await request.post('/auth/logout', { headers, maxRedirects: 0 });
      expect(response.status()).toBe(403);
    }
  });

  test('a same-origin POST gets past the check (the sign-out route answers it)', async ({ request }) => {
    // A route, not a made-up server action: Next logs an unknown action id with a stack trace.
    const cases: Record<string, string>[] = [{ origin: E2E_APP_URL }, { 'sec-fetch-site': 'same-origin' }];
    for (const headers of cases) {
      const response = await request.post('/auth/logout', { headers, maxRedirects: 0 });
      expect(response.status()).toBe(303);
    }
  });
});

test.describe('a body over the limit', () => {
  test('answers 413, plain, with one warn line and no error or stack in the log', async ({ request }) => {
    const requestId = `big-${randomUUID()}`;
    const strayBefore = linesOf(requestId).stray.length;
    // Without the proxy's check, Next reads this body, throws "Body exceeded 1 MB limit" and answers 500 with a stack.
    const response = await request.post('/files', {
      headers: { ...ACTION_HEADERS, 'next-action': realActionId(), origin: E2E_APP_URL, 'x-request-id': requestId },
      data: 'x'.repeat(2 * 1024 * 1024),
      maxRedirects: 0,
    });
    expect(response.status()).toBe(413);
    expect(response.headers()['content-type']).toMatch(/^text\/plain/);
    expect(await response.text()).not.toMatch(/at .+\(|Error:|<html/i);
    await expect
      .poll(() => linesOf(requestId).events.map((event) => `${event.level} ${event.event}`))
      .toEqual(['warn http.body_too_large']);
    // Next's own refusal would have printed an error with a stack trace (lines that are not JSON).
    expect(linesOf(requestId).stray.length).toBe(strayBefore);
  });

  test('answers 413 to a chunked body without Content-Length too', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(120);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > MAX_REQUEST_BODY_BYTES * 2) controller.close();
        else {
          sent += chunk.byteLength;
          controller.enqueue(chunk);
        }
      },
    });
    const response = await fetch(`${E2E_APP_URL}/files`, {
      method: 'POST',
      headers: { ...ACTION_HEADERS, 'next-action': realActionId(), origin: E2E_APP_URL },
      body,
      duplex: 'half',
      redirect: 'manual',
    } as RequestInit & { duplex: 'half' });
    expect(response.status).toBe(413);
  });

  test('a body at the limit is not refused for its size', async ({ request }) => {
    const response = await request.post('/auth/logout', {
      headers: { origin: E2E_APP_URL, 'content-type': 'text/plain' },
      data: 'x'.repeat(MAX_REQUEST_BODY_BYTES),
      maxRedirects: 0,
    });
    expect(response.status()).toBe(303);
  });
});

test.describe('the sign-in callback', () => {
  test('answers with Referrer-Policy: no-referrer, error redirects included', async ({ request }) => {
    for (const query of ['?code=abc&state=not-a-known-state-value', '?error=access_denied&state=x', '']) {
      const response = await request.get(`/auth/callback${query}`, { maxRedirects: 0 });
      expect(response.status()).toBe(303);
      expect(response.headers()['referrer-policy']).toBe('no-referrer');
    }
    // Other pages keep the site-wide policy.
    expect((await request.get('/api/health')).headers()['referrer-policy']).toBe('strict-origin-when-cross-origin');
  });
});
