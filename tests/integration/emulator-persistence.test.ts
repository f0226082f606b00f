import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { AdminGetUserCommand, UserNotFoundException } from '@aws-sdk/client-cognito-identity-provider';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { createUser, idpClient, signIn } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { credentialsFor } from '../helpers/identity-credentials';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cubby-emulator-state-'));
const running: EmulatorProcess[] = [];
afterAll(async () => {
  await Promise.all(running.map((emulator) => emulator.stop()));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A free port, reused by both runs: the issuer (and so every token) names the port. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
const port = String(await freePort());

async function start(): Promise<EmulatorProcess> {
  const emulator = await startEmulatorProcess({ EMULATOR_DATA: dataDir, EMULATOR_PORT: port });
  running.push(emulator);
  return emulator;
}

describe('emulator state on disk', () => {
  it('keeps users, identities and objects across a restart (SIGTERM flushes), and a reset empties it', async () => {
    const first = await start();
    await createUser(first, { email: 'kept@example.com', password: 'Correct-Horse-9' });
    const { idToken } = await signIn(first, { email: 'kept@example.com', password: 'Correct-Horse-9' });
    const { identityId, credentials } = await credentialsFor(first, idToken);
    const s3 = new S3Client({ region: first.config.region, endpoint: first.url, forcePathStyle: true, credentials });
    await s3.send(
      new PutObjectCommand({ Bucket: first.config.bucket, Key: `private/${identityId}/kept.txt`, Body: 'still here' }),
    );
    // An object completed from parts is kept as its parts' files: those survive too.
    const assembled = { Bucket: first.config.bucket, Key: `private/${identityId}/assembled.bin` };
    const parts = [Buffer.alloc(5 * 1024 * 1024, 'p'), Buffer.from('-and the tail')];
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand(assembled));
    const Parts = [];
    for (const [index, Body] of parts.entries()) {
      const { ETag } = await s3.send(new UploadPartCommand({ ...assembled, UploadId, PartNumber: index + 1, Body }));
      Parts.push({ ETag, PartNumber: index + 1 });
    }
    await s3.send(new CompleteMultipartUploadCommand({ ...assembled, UploadId, MultipartUpload: { Parts } }));
    await first.stop();
    expect(fs.existsSync(path.join(dataDir, 'state.json'))).toBe(true);

    const second = await start();
    const user = await idpClient(second).send(
      new AdminGetUserCommand({ UserPoolId: second.config.userPoolId, Username: 'kept@example.com' }),
    );
    expect(user.UserStatus).toBe('CONFIRMED');
    // Keys survive too: a token signed before the restart still gets the same identity.
    expect((await credentialsFor(second, idToken)).identityId).toBe(identityId);
    const again = await credentialsFor(second, idToken);
    const s3Again = new S3Client({
      region: second.config.region,
      endpoint: second.url,
      forcePathStyle: true,
      credentials: again.credentials,
    });
    const object = await s3Again.send(
      new GetObjectCommand({ Bucket: second.config.bucket, Key: `private/${identityId}/kept.txt` }),
    );
    expect(await object.Body?.transformToString()).toBe('still here');
    const kept = await s3Again.send(new GetObjectCommand(assembled));
    expect(Buffer.from((await kept.Body?.transformToByteArray()) ?? []).equals(Buffer.concat(parts))).toBe(true);

    await second.hook('POST', '/_local/reset');
    await expect(
      idpClient(second).send(new AdminGetUserCommand({ UserPoolId: second.config.userPoolId, Username: 'kept@example.com' })),
    ).rejects.toBeInstanceOf(UserNotFoundException);
  });
});
