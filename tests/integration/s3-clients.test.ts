import { execFile, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { type S3Person, signedInS3Person } from '../helpers/s3-person';

/**
 * Real S3 clients, unmodified, against the emulator with a signed-in person's temporary
 * Identity Pool credentials: the AWS CLI (Debian's `awscli` is v2; a pip-installed v1 on the
 * PATH is tested too) and rclone (Debian's 1.60, which sends `x-amz-acl: private`). Each works
 * in the person's own `private/{identityId}/` folder and is refused another person's. A client
 * missing on a developer machine skips its block; in CI (CI set) a missing client fails.
 */

const inCi = Boolean(process.env.CI);

/** Each test starts a few client processes (Python starts slowly on a busy machine); a bound, not a measurement. */
const CLIENT_TIMEOUT = 120_000;

/** The environment a client process gets. */
type ClientEnv = Record<string, string | undefined>;

/** Every distinct program called `name` on the PATH (by real path), in PATH order. */
function programsOnPath(name: string): string[] {
  try {
    const found = execFileSync('which', ['-a', name], { encoding: 'utf8' }).split('\n').filter(Boolean);
    const seen = new Set<string>();
    return found.filter((candidate) => {
      const real = fs.realpathSync(candidate);
      if (seen.has(real)) return false;
      seen.add(real);
      return true;
    });
  } catch {
    return [];
  }
}

function versionOf(program: string, args: string[]): string {
  try {
    return (
      execFileSync(program, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
        .split('\n')[0]
        ?.trim() ?? ''
    );
  } catch {
    return '';
  }
}

/** The AWS CLIs to test: one per distinct version found (pyenv shims and /usr/bin may both hold one). */
const awsClis = (() => {
  const byVersion = new Map<string, string>();
  for (const program of programsOnPath('aws')) {
    const version = versionOf(program, ['--version']);
    if (version.startsWith('aws-cli/') && !byVersion.has(version)) byVersion.set(version, program);
  }
  return [...byVersion].map(([version, program]) => ({ version, program }));
})();
const rclone = programsOnPath('rclone')[0];

interface Run {
  code: number;
  stdout: Buffer;
  stderr: string;
}

function run(program: string, args: string[], env: ClientEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      program,
      args,
      { env: env as NodeJS.ProcessEnv, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr: stderr.toString('utf8') });
      },
    );
  });
}

/** Runs and expects success, showing the client's own output when it fails. */
async function ok(program: string, args: string[], env: ClientEnv): Promise<Buffer> {
  const result = await run(program, args, env);
  expect(result.code, `${path.basename(program)} ${args.join(' ')}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

let emulator: EmulatorProcess;
let owner: S3Person;
let other: S3Person;
let Bucket: string;
let workdir: string;
let small: string;
let big: string;
let huge: string;

/** The environment a client gets: this machine's PATH/HOME, nothing else of ours (AWS_CA_BUNDLE breaks rclone). */
function baseEnv(): ClientEnv {
  const keep = Object.entries(process.env).filter(
    ([name]) => ['PATH', 'HOME', 'LANG', 'TMPDIR'].includes(name) || name.startsWith('PYENV'),
  );
  return {
    ...Object.fromEntries(keep),
    XDG_CACHE_HOME: path.join(workdir, 'cache'),
    XDG_CONFIG_HOME: path.join(workdir, 'config'),
  };
}

async function bodyOf(s3: S3Client, Key: string): Promise<Buffer> {
  const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
  return Buffer.from((await got.Body?.transformToByteArray()) ?? []);
}

async function exists(s3: S3Client, Key: string): Promise<boolean> {
  return s3.send(new HeadObjectCommand({ Bucket, Key })).then(
    () => true,
    (error: { $metadata?: { httpStatusCode?: number } }) => {
      if (error.$metadata?.httpStatusCode === 404) return false;
      throw error;
    },
  );
}

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  Bucket = emulator.config.bucket;
  owner = await signedInS3Person(emulator, 'clients-owner@example.com');
  other = await signedInS3Person(emulator, 'clients-other@example.com');
  workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cubby-s3-clients-'));
  small = path.join(workdir, 'small.bin');
  big = path.join(workdir, 'tree', 'big.bin');
  huge = path.join(workdir, 'huge.bin');
  fs.mkdirSync(path.join(workdir, 'tree', 'sub'), { recursive: true });
  fs.writeFileSync(small, randomBytes(1000));
  fs.writeFileSync(path.join(workdir, 'tree', 'a.bin'), randomBytes(3000));
  fs.writeFileSync(path.join(workdir, 'tree', 'sub', 'b c.bin'), randomBytes(2000));
  // Above rclone's cutoff set below (5 MiB parts) and the AWS CLI's 8 MiB multipart threshold.
  fs.writeFileSync(big, randomBytes(12 * 1024 * 1024));
  fs.writeFileSync(huge, randomBytes(10 * 1024 * 1024));
});
afterAll(async () => {
  await emulator?.stop();
  if (workdir) fs.rmSync(workdir, { recursive: true, force: true });
});

describe.runIf(awsClis.length === 0)('AWS CLI', () => {
  // Skipped on a machine without it; in CI it runs, and fails.
  it.skipIf(!inCi)('is installed — no `aws` on the PATH: apt-get install awscli (.ci/run does)', () => {
    expect.fail('no `aws` on the PATH: .ci/run installs the awscli package');
  });
});

describe.each(awsClis)('AWS CLI $version', { timeout: CLIENT_TIMEOUT }, ({ program, version }) => {
  const folder = () => `${owner.home}aws-${version.split(' ')[0]?.replace(/[^\w.-]/g, '_')}/`;
  const url = (key: string) => `s3://${Bucket}/${key}`;
  let env: ClientEnv;
  const aws = (...args: string[]) => ok(program, ['--endpoint-url', emulator.url, ...args], env);
  const awsRun = (...args: string[]) => run(program, ['--endpoint-url', emulator.url, ...args], env);

  beforeAll(() => {
    const config = path.join(workdir, `aws-config-${awsClis.findIndex((cli) => cli.program === program)}`);
    fs.writeFileSync(config, `[default]\nregion = ${emulator.config.region}\ns3 =\n  addressing_style = path\n`);
    env = {
      ...baseEnv(),
      AWS_CONFIG_FILE: config,
      AWS_SHARED_CREDENTIALS_FILE: path.join(workdir, 'no-credentials'),
      AWS_ACCESS_KEY_ID: owner.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: owner.credentials.secretAccessKey,
      AWS_SESSION_TOKEN: owner.credentials.sessionToken,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
    };
  });

  it('aws s3 cp uploads (single PUT and multipart) and downloads byte-identical files', async () => {
    await aws('s3', 'cp', small, url(`${folder()}small.bin`), '--no-progress');
    await aws('s3', 'cp', huge, url(`${folder()}dir/huge.bin`), '--no-progress');
    expect(sha256(await bodyOf(owner.s3, `${folder()}small.bin`))).toBe(sha256(fs.readFileSync(small)));
    const head = await owner.s3.send(new HeadObjectCommand({ Bucket, Key: `${folder()}dir/huge.bin` }));
    expect(head.ETag).toMatch(/-2"$/);
    const downloaded = path.join(workdir, `huge-${version.length}.down`);
    await aws('s3', 'cp', url(`${folder()}dir/huge.bin`), downloaded, '--no-progress');
    expect(sha256(fs.readFileSync(downloaded))).toBe(sha256(fs.readFileSync(huge)));
  });

  it('aws s3 ls lists files and folders; aws s3 mv moves; aws s3 rm removes', async () => {
    const listing = (await aws('s3', 'ls', url(folder()))).toString();
    expect(listing).toMatch(/PRE dir\//);
    expect(listing).toMatch(/1000 small\.bin/);
    await aws('s3', 'mv', url(`${folder()}small.bin`), url(`${folder()}moved.bin`));
    expect(await exists(owner.s3, `${folder()}small.bin`)).toBe(false);
    expect(sha256(await bodyOf(owner.s3, `${folder()}moved.bin`))).toBe(sha256(fs.readFileSync(small)));
    await aws('s3', 'rm', url(`${folder()}moved.bin`));
    expect(await exists(owner.s3, `${folder()}moved.bin`)).toBe(false);
  });

  it('aws s3api put-object, head-object, list-objects-v2 and list-objects (v1)', async () => {
    const key = `${folder()}api/one two.txt`;
    const put = JSON.parse((await aws('s3api', 'put-object', '--bucket', Bucket, '--key', key, '--body', small)).toString());
    expect(put.ETag).toBe(`"${createHash('md5').update(fs.readFileSync(small)).digest('hex')}"`);
    const head = JSON.parse((await aws('s3api', 'head-object', '--bucket', Bucket, '--key', key)).toString());
    expect(head.ContentLength).toBe(1000);
    const v2 = JSON.parse(
      (await aws('s3api', 'list-objects-v2', '--bucket', Bucket, '--prefix', folder(), '--fetch-owner')).toString(),
    );
    expect(v2.Contents.map((item: { Key: string }) => item.Key)).toContain(key);
    expect(v2.Contents[0].Owner.ID).toMatch(/^[0-9a-f]{64}$/);
    const after = JSON.parse(
      (await aws('s3api', 'list-objects-v2', '--bucket', Bucket, '--prefix', folder(), '--start-after', key)).toString(),
    );
    expect(after.Contents.map((item: { Key: string }) => item.Key)).toEqual([`${folder()}dir/huge.bin`]);
    const v1 = JSON.parse(
      (await aws('s3api', 'list-objects', '--bucket', Bucket, '--prefix', folder(), '--delimiter', '/')).toString(),
    );
    expect(v1.CommonPrefixes.map((item: { Prefix: string }) => item.Prefix)).toEqual([`${folder()}api/`, `${folder()}dir/`]);
  });

  it('answers canned ACLs as a bucket with ACLs disabled does', async () => {
    const key = `${folder()}acl.txt`;
    await aws('s3api', 'put-object', '--bucket', Bucket, '--key', key, '--body', small, '--acl', 'bucket-owner-full-control');
    const refused = await awsRun(
      's3api',
      'put-object',
      '--bucket',
      Bucket,
      '--key',
      key,
      '--body',
      small,
      '--acl',
      'public-read',
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('AccessControlListNotSupported');
  });

  it("is refused another person's folder (AccessDenied from IAM)", async () => {
    const put = await awsRun('s3', 'cp', small, url(`${other.home}intruder.bin`));
    expect(put.code).not.toBe(0);
    expect(put.stderr).toContain('AccessDenied');
    const list = await awsRun('s3', 'ls', url(other.home));
    expect(list.code).not.toBe(0);
    expect(list.stderr).toContain('AccessDenied');
    expect(await exists(other.s3, `${other.home}intruder.bin`)).toBe(false);
  });
});

describe('rclone', { timeout: CLIENT_TIMEOUT }, () => {
  let env: ClientEnv;
  const remote = (key: string) => `cubby:${Bucket}/${key}`;
  const home = () => `${owner.home}rclone/`;
  const rc = (...args: string[]) => ok(rclone ?? 'rclone', args, env);

  beforeAll(() => {
    env = {
      ...baseEnv(),
      RCLONE_CONFIG: path.join(workdir, 'rclone.conf'),
      RCLONE_CONFIG_CUBBY_TYPE: 's3',
      // rclone 1.60 forces virtual-hosted addressing for provider AWS; the emulator (and any
      // loopback endpoint) needs path style, so the AWS listing behaviour is set explicitly.
      RCLONE_CONFIG_CUBBY_PROVIDER: 'Other',
      RCLONE_CONFIG_CUBBY_FORCE_PATH_STYLE: 'true',
      RCLONE_CONFIG_CUBBY_LIST_VERSION: '2',
      RCLONE_CONFIG_CUBBY_LIST_URL_ENCODE: 'true',
      RCLONE_CONFIG_CUBBY_USE_MULTIPART_ETAG: 'true',
      // As on AWS with these roles: no s3:CreateBucket, and HeadBucket needs an unconditioned s3:ListBucket.
      RCLONE_CONFIG_CUBBY_NO_CHECK_BUCKET: 'true',
      RCLONE_CONFIG_CUBBY_ENV_AUTH: 'false',
      RCLONE_CONFIG_CUBBY_ACCESS_KEY_ID: owner.credentials.accessKeyId,
      RCLONE_CONFIG_CUBBY_SECRET_ACCESS_KEY: owner.credentials.secretAccessKey,
      RCLONE_CONFIG_CUBBY_SESSION_TOKEN: owner.credentials.sessionToken,
      RCLONE_CONFIG_CUBBY_REGION: emulator.config.region,
      RCLONE_CONFIG_CUBBY_ENDPOINT: emulator.url,
      RCLONE_CONFIG_CUBBY_UPLOAD_CUTOFF: '5Mi',
      RCLONE_CONFIG_CUBBY_CHUNK_SIZE: '5Mi',
    };
  });

  // Skipped on a machine without it; in CI it runs, and fails.
  it.skipIf(Boolean(rclone) || !inCi)('is installed — no `rclone` on the PATH: apt-get install rclone (.ci/run does)', () => {
    expect.fail('no `rclone` on the PATH: .ci/run installs the rclone package');
  });

  describe.runIf(Boolean(rclone))('against the emulator', () => {
    it('copyto and copy upload byte-identical files (single PUT with x-amz-acl: private, and multipart)', async () => {
      await rc('copyto', small, remote(`${home()}one.bin`));
      expect(sha256(await bodyOf(owner.s3, `${home()}one.bin`))).toBe(sha256(fs.readFileSync(small)));
      await rc('copy', path.join(workdir, 'tree'), remote(`${home()}tree`));
      const head = await owner.s3.send(new HeadObjectCommand({ Bucket, Key: `${home()}tree/big.bin` }));
      expect(head.ETag).toMatch(/-3"$/);
      expect(sha256(await bodyOf(owner.s3, `${home()}tree/big.bin`))).toBe(sha256(fs.readFileSync(big)));
    });

    it('ls, lsl (v2 and v1 listings), cat and check see what was uploaded', async () => {
      const ls = (await rc('ls', remote(home()))).toString();
      for (const name of ['one.bin', 'tree/a.bin', 'tree/big.bin', 'tree/sub/b c.bin']) expect(ls).toContain(name);
      expect((await rc('ls', '--s3-list-version', '1', remote(home()))).toString()).toBe(ls);
      expect((await rc('lsl', remote(`${home()}tree`))).toString()).toMatch(/12582912 \d{4}-\d\d-\d\d [\d:.]+ big\.bin/);
      expect(sha256(await rc('cat', remote(`${home()}tree/big.bin`)))).toBe(sha256(fs.readFileSync(big)));
      await rc('check', path.join(workdir, 'tree'), remote(`${home()}tree`));
    });

    it('moveto (server-side copy + delete), sync, delete and deletefile', async () => {
      await rc('moveto', remote(`${home()}one.bin`), remote(`${home()}two.bin`));
      expect(await exists(owner.s3, `${home()}one.bin`)).toBe(false);
      expect(sha256(await bodyOf(owner.s3, `${home()}two.bin`))).toBe(sha256(fs.readFileSync(small)));
      await rc('sync', path.join(workdir, 'tree'), remote(`${home()}synced`));
      expect((await rc('ls', remote(`${home()}synced`))).toString()).toContain('sub/b c.bin');
      await rc('delete', remote(`${home()}synced`));
      expect((await rc('ls', remote(`${home()}synced`))).toString()).toBe('');
      await rc('deletefile', remote(`${home()}two.bin`));
      expect(await exists(owner.s3, `${home()}two.bin`)).toBe(false);
    });

    it("is refused another person's folder (AccessDenied from IAM)", async () => {
      const list = await run(rclone ?? 'rclone', ['ls', remote(other.home)], env);
      expect(list.code).not.toBe(0);
      expect(list.stderr).toContain('AccessDenied');
      const put = await run(
        rclone ?? 'rclone',
        ['copyto', '--no-check-dest', '--retries', '1', small, remote(`${other.home}intruder.bin`)],
        env,
      );
      expect(put.code).not.toBe(0);
      expect(put.stderr).toContain('AccessDenied');
      expect(await exists(other.s3, `${other.home}intruder.bin`)).toBe(false);
    });
  });
});
