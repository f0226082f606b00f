import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runAction as runGatedAction } from '@/lib/actions';
import type { PersonAccess } from '@/lib/dal';
import { AppError, userMessage } from '@/lib/errors';
import { MAX_NAME_BYTES } from '@/lib/files/limits';
import { NameSchema as FileNameSchema } from '@/lib/files/schemas';

/** A name field as the /files actions declare it (lib/files/schemas.ts): the shared limit, answered with its own code. */
const NameSchema = z.object({ name: FileNameSchema });

/** The action wrapper with a stand-in gate: these cases are about validation and answers, not access. */
function runAction<T>(event: string, schema: typeof NameSchema, input: unknown, work: () => Promise<T>) {
  return runGatedAction(event, schema, input, work, async () => ({ session: { sub: 'test-person' } }) as PersonAccess);
}

describe('runAction', () => {
  it('answers a refused rule that names its code with that code and its message, not invalid_input', async () => {
    for (const length of [MAX_NAME_BYTES + 1, 999, 1001]) {
      const result = await runAction('test.rename', NameSchema, { name: 'n'.repeat(length) }, async () => 'ran');
      expect(result).toEqual({ ok: false, code: 'name_too_long', message: userMessage('name_too_long') });
    }
    expect(userMessage('name_too_long')).toContain(`${MAX_NAME_BYTES} bytes`);
    expect(await runAction('test.rename', NameSchema, { name: 'n'.repeat(MAX_NAME_BYTES) }, async () => 'ran')).toEqual({
      ok: true,
      value: 'ran',
    });
  });

  it('keeps invalid_input for any other bad shape', async () => {
    for (const input of [{ name: '   ' }, { name: 42 }, null]) {
      const result = await runAction('test.rename', NameSchema, input, async () => 'ran');
      expect(result).toMatchObject({ ok: false, code: 'invalid_input' });
    }
  });

  it('passes an AppError’s details on with its code, and nothing else of it', async () => {
    const taken = await runAction('test.rename', NameSchema, { name: 'a.txt' }, async () => {
      throw new AppError('name_taken', 'internal detail', { details: { suggestion: 'a (1).txt' } });
    });
    expect(taken).toEqual({
      ok: false,
      code: 'name_taken',
      message: userMessage('name_taken'),
      details: { suggestion: 'a (1).txt' },
    });
    const plain = await runAction('test.rename', NameSchema, { name: 'a.txt' }, async () => {
      throw new AppError('not_found', 'secret upstream words');
    });
    expect(plain).toEqual({ ok: false, code: 'not_found', message: userMessage('not_found') });
  });

  it('answers rate_limited, naming the wait, once one person passes the action limit; others go on', async () => {
    const as = (sub: string) => async () => ({ session: { sub } }) as PersonAccess;
    const results = [];
    for (let index = 0; index < 301; index += 1) {
      results.push(await runGatedAction('test.burst', NameSchema, { name: 'a.txt' }, async () => 'ran', as('busy-person')));
    }
    expect(results.slice(0, 300).every((result) => result.ok)).toBe(true);
    const refused = results[300];
    expect(refused).toMatchObject({ ok: false, code: 'rate_limited' });
    expect(refused?.ok === false && refused.message).toMatch(/^Too many requests, try again in \d+ s$/);
    expect(await runGatedAction('test.burst', NameSchema, { name: 'a.txt' }, async () => 'ran', as('calm-person'))).toEqual({
      ok: true,
      value: 'ran',
    });
  });
});
