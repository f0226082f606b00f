import { afterEach, describe, expect, it, vi } from 'vitest';
import { isValidRequestId, REQUEST_ID_HEADER, requestIdFor, withRequestLogs } from '@/lib/http/request-id';
import { currentRequestId, log, withRequestId } from '@/lib/log';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The JSON lines log() writes while `work` runs. */
async function linesOf(work: () => unknown): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const capture = (line: unknown) => {
    lines.push(String(line));
  };
  vi.spyOn(console, 'log').mockImplementation(capture);
  vi.spyOn(console, 'error').mockImplementation(capture);
  await work();
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('request ids from outside', () => {
  it.each([
    ['0f8e4c1e-3a5b-4c2d-9e8f-0123456789ab', true],
    ['01HZX3Q4N5P6R7S8T9V0W1X2Y3', true],
    ['lb_trace-0123', true],
    ['a'.repeat(64), true],
    ['short', false],
    ['a'.repeat(65), false],
    ['', false],
    ['has space 12345', false],
    ['eyJhbGciOi.eyJzdWIiOi', false],
    ['Root=1-abc;Parent=def', false],
    ['line\nbreak-12345', false],
    ['quote"injection', false],
    ['ünïcödé-12345', false],
  ])('%j is kept: %s', (value, kept) => {
    expect(isValidRequestId(value)).toBe(kept);
    const id = requestIdFor(new Headers(kept ? { [REQUEST_ID_HEADER]: value } : {}));
    if (kept) expect(id).toBe(value);
    else expect(id).toMatch(UUID);
  });

  it('replaces a malformed header with a fresh UUID each time', () => {
    const headers = new Headers({ [REQUEST_ID_HEADER]: 'bad id' });
    const first = requestIdFor(headers);
    expect(first).toMatch(UUID);
    expect(requestIdFor(headers)).not.toBe(first);
  });
});

describe('log lines and the request scope', () => {
  it('carry the request id inside withRequestId, across awaits, and not outside it', async () => {
    const lines = await linesOf(async () => {
      log('info', 'test.before');
      await withRequestId('req-0123456789', async () => {
        log('info', 'test.inside');
        await new Promise((resolve) => setTimeout(resolve, 1));
        log('warn', 'test.after_await', { code: 'x' });
      });
      log('info', 'test.outside');
    });
    expect(lines.map((line) => [line.event, line.requestId])).toEqual([
      ['test.before', undefined],
      ['test.inside', 'req-0123456789'],
      ['test.after_await', 'req-0123456789'],
      ['test.outside', undefined],
    ]);
    for (const line of lines) {
      expect(typeof line.time).toBe('string');
      expect(['info', 'warn']).toContain(line.level);
    }
  });

  it('keeps concurrent requests apart', async () => {
    const seen = await Promise.all(
      ['request-a-0001', 'request-b-0002'].map((id) =>
        withRequestId(id, async () => {
          await new Promise((resolve) => setTimeout(resolve, id.includes('a') ? 5 : 1));
          return currentRequestId();
        }),
      ),
    );
    expect(seen).toEqual(['request-a-0001', 'request-b-0002']);
  });

  it('runs work unchanged with a null id, and outside a Next request', async () => {
    expect(withRequestId(null, () => currentRequestId())).toBeUndefined();
    const lines = await linesOf(() => withRequestLogs(async () => log('info', 'test.no_request')));
    expect(lines).toHaveLength(1);
    expect(lines[0]?.requestId).toBeUndefined();
  });
});
