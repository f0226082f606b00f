/**
 * Client JavaScript of /files (run: `node bench/client-bundle.ts` after `next build`, or
 * `npm run bench`): the gzip size of every script a browser loads for the page, against the
 * framework's own baseline (Next's root chunks, which every page loads), and proof that no code of
 * @aws-sdk, openid-client (oauth4webapi), iron-session or jose is in ANY client chunk. Each library
 * is recognised by string literals that survive minification; the same signatures are looked for
 * in the server output too, so a signature that could never match shows up as "not found on the
 * server" instead of passing silently. Figures, not assertions: targets are read by people.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const root = path.resolve(import.meta.dirname, '..');
const next = path.join(root, '.next');
const BUDGET_KB = 25;

/** Strings only these libraries' code carries (error codes, user agents, seal prefixes, format ids). */
const SIGNATURES: Record<string, string[]> = {
  '@aws-sdk': ['aws-sdk-js', 'AWS4-HMAC-SHA256', 'x-amz-content-sha256'],
  'openid-client': ['oauth4webapi', 'OAUTH_RESPONSE_IS_NOT_CONFORM', 'openid-client'],
  'iron-session': ['Fe26.2', 'iron-session'],
  jose: ['ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
};

function build(): void {
  if (existsSync(path.join(next, 'BUILD_ID')) && !process.argv.includes('--rebuild')) return;
  console.log('No production build found: running `next build` (about a minute)...');
  execFileSync('npx', ['--no-install', 'next', 'build'], { cwd: root, stdio: 'inherit' });
}

function gzipKb(files: Iterable<string>): number {
  let bytes = 0;
  for (const file of files) bytes += gzipSync(readFileSync(path.join(next, file))).length;
  return bytes / 1024;
}

/** Every `static/chunks/*.js` a client-reference manifest names for a page. */
function pageChunks(manifestFile: string): Set<string> {
  const text = readFileSync(manifestFile, 'utf8');
  return new Set([...text.matchAll(/(?:\/_next\/)?(static\/chunks\/[\w.-]+\.js)/g)].map((match) => match[1] ?? ''));
}

function walk(directory: string, suffix: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(suffix))
    .map((file) => path.join(directory, file));
}

function librariesIn(files: string[]): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const [library, signatures] of Object.entries(SIGNATURES)) {
      const hits = signatures.filter((signature) => text.includes(signature));
      if (hits.length > 0) found.set(library, [...(found.get(library) ?? []), `${path.basename(file)} (${hits.join(', ')})`]);
    }
  }
  return found;
}

build();
const buildManifest = JSON.parse(readFileSync(path.join(next, 'build-manifest.json'), 'utf8')) as { rootMainFiles: string[] };
const framework = new Set(buildManifest.rootMainFiles);
const manifest = path.join(next, 'server', 'app', '(signed-in)', 'files', 'page_client-reference-manifest.js');
const files = new Set([...framework, ...pageChunks(manifest)]);
const own = [...files].filter((file) => !framework.has(file));
const frameworkKb = gzipKb(framework);
const filesKb = gzipKb(files);

const clientHits = librariesIn(walk(path.join(next, 'static'), '.js'));
const serverHits = librariesIn(walk(path.join(next, 'server'), '.js'));

console.log('\n| /files client JavaScript | gzip KB | files |');
console.log('| --- | ---: | ---: |');
console.log(`| framework baseline (Next root chunks) | ${frameworkKb.toFixed(1)} | ${framework.size} |`);
console.log(`| /files, everything loaded | ${filesKb.toFixed(1)} | ${files.size} |`);
console.log(`| /files above the baseline | ${(filesKb - frameworkKb).toFixed(1)} | ${own.length} |`);
console.log(`\nBudget: baseline + ${BUDGET_KB} KB → ${filesKb - frameworkKb <= BUDGET_KB ? 'met' : 'NOT met'}`);

console.log('\n| library | in client chunks | signature seen on the server |');
console.log('| --- | --- | --- |');
for (const library of Object.keys(SIGNATURES)) {
  const client = clientHits.get(library);
  console.log(
    `| ${library} | ${client ? `YES: ${client.join('; ')}` : 'none'} | ${serverHits.has(library) ? 'yes' : 'not found'} |`,
  );
}
if (clientHits.size > 0) process.exitCode = 1;
