/**
 * What the container image's runtime stage adds to its base (run: `node bench/image-size.ts` after
 * `next build`, or `npm run bench`): the files the Dockerfile copies, laid out exactly as the image
 * holds them (scripts/standalone-layout.ts), their size on disk and as a gzip'd tar layer would be
 * (each file gzip'd on its own: close to, and a little above, what a registry stores), and the
 * biggest packages in the standalone node_modules. No Docker engine runs here, so the base image
 * (node:<version>-slim) is not measured: its size is the registry's figure, printed as a note.
 * Figures, not assertions: the target (image well under 200 MB) is read by people.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { layOutStandalone, ROOT } from '../scripts/standalone-layout.ts';

interface Tally {
  files: number;
  bytes: number;
  gzipBytes: number;
}

function tally(dir: string): Tally {
  const total: Tally = { files: 0, bytes: 0, gzipBytes: 0 };
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        const content = fs.readFileSync(full);
        total.files += 1;
        total.bytes += content.length;
        total.gzipBytes += gzipSync(content, { level: 6 }).length;
      }
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return total;
}

/** Top-level packages of a node_modules folder (scopes opened), biggest first. */
function packages(modules: string): { name: string; bytes: number }[] {
  const names: string[] = [];
  for (const entry of fs.existsSync(modules) ? fs.readdirSync(modules) : []) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) for (const scoped of fs.readdirSync(path.join(modules, entry))) names.push(`${entry}/${scoped}`);
    else names.push(entry);
  }
  return names.map((name) => ({ name, bytes: tally(path.join(modules, name)).bytes })).sort((a, b) => b.bytes - a.bytes);
}

const mb = (bytes: number) => (bytes / 1024 ** 2).toFixed(1);

if (!fs.existsSync(path.join(ROOT, '.next', 'standalone', 'server.js'))) {
  console.error('image-size: no standalone build; run `npm run build` first.');
  process.exit(1);
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cubby-image-'));
try {
  layOutStandalone(dir);
  const whole = tally(dir);
  const modules = tally(path.join(dir, 'node_modules'));
  const server = tally(path.join(dir, '.next', 'server'));
  const statics = tally(path.join(dir, '.next', 'static'));
  const rows: [string, Tally][] = [
    ['node_modules (traced by Next)', modules],
    ['.next/server (compiled app)', server],
    ['.next/static (browser assets)', statics],
    ['everything the runtime stage copies', whole],
  ];
  console.log('\nContainer image: what the runtime stage adds to node:24-slim\n');
  console.log('| part | files | on disk (MB) | gzip (MB) |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [name, part] of rows) console.log(`| ${name} | ${part.files} | ${mb(part.bytes)} | ${mb(part.gzipBytes)} |`);
  console.log('\nBiggest packages in the image\n');
  console.log('| package | on disk (MB) |');
  console.log('| --- | ---: |');
  for (const { name, bytes } of packages(path.join(dir, 'node_modules')).slice(0, 8)) console.log(`| ${name} | ${mb(bytes)} |`);
  console.log(
    `\nTarget: image well under 200 MB. The base (node:${process.versions.node}-slim) is not measured here (no Docker engine);` +
      ' add its size from the registry to the line above.',
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
