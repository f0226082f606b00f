import { describe, expect, it } from 'vitest';
import { planAndPut, TransferError, UploadFailure } from '@/app/(signed-in)/files/_components/upload';
import { nextFreeName } from '@/lib/aws/keys';
import { MAX_NAME_ATTEMPTS } from '@/lib/files/limits';
import type { UploadPlan } from '@/lib/files/types';

/**
 * The browser's half of "never overwrite": a create-only PUT that S3 refuses because the name was
 * taken meanwhile asks for the next free name with every name met so far, and sends again.
 */

/** A server that plans names as lib/files/service.ts does: the first one free in `stored` and not taken. */
function server(stored: Set<string>) {
  const asked: string[][] = [];
  const plan = async (taken: string[]): Promise<UploadPlan> => {
    asked.push(taken);
    const unavailable = new Set([...stored, ...taken]);
    const name = nextFreeName('report.pdf', (candidate) => unavailable.has(candidate));
    return { kind: 'single', key: `private/x/${name}`, name, url: `https://s3.test/${name}`, headers: {} };
  };
  return { plan, asked };
}

describe('planAndPut (retry on a taken name)', () => {
  it('sends once when the name is free', async () => {
    const { plan, asked } = server(new Set());
    const sent: string[] = [];
    const landed = await planAndPut(plan, async (single) => {
      sent.push(single.name);
    });
    expect(landed.name).toBe('report.pdf');
    expect(sent).toEqual(['report.pdf']);
    expect(asked).toEqual([[]]);
  });

  it('moves to the next free name each time S3 answers 412 or 409, telling the server what it met', async () => {
    // The listing the server reads is behind: S3 already has report.pdf and report (1).pdf.
    const inS3 = new Set(['report.pdf', 'report (1).pdf']);
    const { plan, asked } = server(new Set());
    let retries = 0;
    const landed = await planAndPut(
      plan,
      async (single) => {
        if (inS3.has(single.name)) throw new TransferError(single.name === 'report.pdf' ? 412 : 409);
        inS3.add(single.name);
      },
      () => {
        retries += 1;
      },
    );
    expect(landed.name).toBe('report (2).pdf');
    expect(asked).toEqual([[], ['report.pdf'], ['report.pdf', 'report (1).pdf']]);
    expect(retries).toBe(2);
  });

  it('gives up with name_taken after MAX_NAME_ATTEMPTS taken names', async () => {
    const { plan } = server(new Set());
    const failure = await planAndPut(plan, async () => {
      throw new TransferError(412);
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UploadFailure);
    expect((failure as UploadFailure).code).toBe('name_taken');
    expect(MAX_NAME_ATTEMPTS).toBeGreaterThanOrEqual(3);
  });

  it('does not retry other failures, and leaves a multipart plan unsent', async () => {
    const { plan } = server(new Set());
    await expect(
      planAndPut(plan, async () => {
        throw new TransferError(403);
      }),
    ).rejects.toMatchObject({ status: 403 });
    const multipart: UploadPlan = {
      kind: 'multipart',
      key: 'incoming/x/u',
      name: 'v.mp4',
      uploadId: 'u',
      partSize: 1,
      partCount: 1,
      parts: [],
    };
    let sent = false;
    expect(
      await planAndPut(
        async () => multipart,
        async () => {
          sent = true;
        },
      ),
    ).toBe(multipart);
    expect(sent).toBe(false);
  });
});
