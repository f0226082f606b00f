/**
 * The container image's runtime stage, reproduced on this machine: which files it holds, where,
 * and with which environment `node server.js` starts. scripts/standalone.ts runs the server this
 * way for the e2e suite; tests/e2e/standalone.spec.ts checks the result. Keep in step with the
 * Dockerfile's runtime stage.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ENV_VARIABLES } from '../lib/env.ts';

export const ROOT = path.resolve(import.meta.dirname, '..');

/** Where a laid-out server for `port` lives: outside the repository, so the repo's node_modules is out of reach. */
export function standaloneDir(port: number): string {
  return path.join(os.tmpdir(), `cubby-standalone-${port}`);
}

/** `.env` files Next copies into `.next/standalone` when the build found them; .dockerignore keeps them out of the image. */
const ENV_FILE = /^\.env(\..*)?$/;

/**
 * Lays out `target` as the Dockerfile's runtime stage does: `.next/standalone/` at the root,
 * `.next/static/` at `.next/static/`, `public/` at `public/`. Symlinks are copied as links (as
 * `COPY` does); `.env` files are left out. Replaces whatever `target` held.
 * @throws {Error} when there is no standalone build (run `next build` first).
 */
export function layOutStandalone(target: string, root: string = ROOT): void {
  const build = path.join(root, '.next', 'standalone');
  if (!fs.existsSync(path.join(build, 'server.js'))) {
    throw new Error(`${build}/server.js is missing: run \`next build\` first (next.config.mjs sets output: 'standalone').`);
  }
  fs.rmSync(target, { recursive: true, force: true });
  const copy = (from: string, to: string) =>
    fs.cpSync(from, to, {
      recursive: true,
      verbatimSymlinks: true,
      filter: (source) => !ENV_FILE.test(path.basename(source)),
    });
  copy(build, target);
  copy(path.join(root, '.next', 'static'), path.join(target, '.next', 'static'));
  if (fs.existsSync(path.join(root, 'public'))) copy(path.join(root, 'public'), path.join(target, 'public'));
}

/**
 * Every path relative to `dir` with its size (directories and links marked), sorted: what the
 * image's runtime stage contains for a layout made by {@link layOutStandalone}.
 */
export function listFiles(dir: string): string[] {
  const entries: string[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const name = path.join(relative, entry.name);
      if (entry.isSymbolicLink()) entries.push(`${name} -> ${fs.readlinkSync(path.join(dir, name))}`);
      else if (entry.isDirectory()) {
        entries.push(`${name}/`);
        walk(name);
      } else entries.push(`${name} ${fs.statSync(path.join(dir, name)).size}`);
    }
  };
  walk('');
  return entries.sort();
}

/**
 * Reasons a server in `dir` could load code from outside it: a symlink leading out, a
 * node_modules folder in an ancestor (Node's resolver climbs to the root), or one of Node's
 * global folders. Empty when the layout is self-contained, as in the image.
 */
export function escapeRoutes(dir: string, home: string, nodeBinary: string = process.execPath): string[] {
  const problems: string[] = [];
  const inside = (target: string) => target === dir || target.startsWith(`${dir}${path.sep}`);
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isSymbolicLink()) {
        const link = fs.readlinkSync(full);
        if (path.isAbsolute(link) || !inside(path.resolve(current, link))) problems.push(`${full} links outside (${link})`);
      } else if (entry.isDirectory()) walk(full);
    }
  };
  walk(dir);
  for (let parent = path.dirname(dir); ; parent = path.dirname(parent)) {
    if (fs.existsSync(path.join(parent, 'node_modules'))) problems.push(`${parent}/node_modules is on the resolution path`);
    if (parent === path.dirname(parent)) break;
  }
  const prefix = path.resolve(nodeBinary, '..', '..');
  for (const global of [path.join(home, '.node_modules'), path.join(home, '.node_libraries'), path.join(prefix, 'lib', 'node')]) {
    if (fs.existsSync(global)) problems.push(`${global} (a Node global folder) exists`);
  }
  return problems;
}

/**
 * The container's environment: NODE_ENV, HOSTNAME, PORT, HOME and a system PATH (no
 * node_modules/.bin, no NODE_PATH, no npm variables), plus the app's variables (lib/env.ts's
 * list) taken from `source`, as `docker run --env-file` would pass them.
 */
export function containerEnvironment(
  source: Readonly<Record<string, string | undefined>>,
  port: number,
  home: string,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'production',
    HOSTNAME: '0.0.0.0',
    PORT: String(port),
    HOME: home,
    PATH: '/usr/local/bin:/usr/bin:/bin',
    NEXT_TELEMETRY_DISABLED: '1',
  };
  for (const name of ENV_VARIABLES) {
    const value = source[name];
    if (value) env[name] = value;
  }
  return env;
}
