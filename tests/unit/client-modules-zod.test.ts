import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * zod probes `Function('')` when it loads; in the browser the production CSP blocks that and reports
 * a `script-src eval` violation. No client component may pull zod in, directly or through the lib
 * modules it imports for their values (type-only imports are erased, and server actions' modules stay
 * on the server: neither counts).
 */
const ROOT = path.resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) ? [full] : [];
  });
}

function resolveImport(from: string, specifier: string): string | null {
  const base = specifier.startsWith('@/') ? path.join(ROOT, specifier.slice(2)) : path.resolve(path.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** The value imports of a module: `import … from 'x'`, skipping `import type`. */
function valueImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^import\s+(?!type\s)[^;]*?from\s+'([^']+)';/gms)].map((match) => match[1] ?? '');
}

function pullsZod(file: string, seen = new Set<string>()): string | null {
  if (seen.has(file)) return null;
  seen.add(file);
  for (const specifier of valueImports(file)) {
    if (specifier === 'zod') return file;
    if (!specifier.startsWith('.') && !specifier.startsWith('@/')) continue;
    const target = resolveImport(file, specifier);
    // Server actions ('use server') reach the browser as references only: their imports stay on the server.
    if (target && /^'use server';/m.test(readFileSync(target, 'utf8'))) continue;
    const found = target ? pullsZod(target, seen) : null;
    if (found) return found;
  }
  return null;
}

describe('client components', () => {
  const clientFiles = sourceFiles(path.join(ROOT, 'app')).filter((file) => /^'use client';/m.test(readFileSync(file, 'utf8')));

  it('are found', () => {
    expect(clientFiles.length).toBeGreaterThan(10);
  });

  it.each(clientFiles.map((file) => [path.relative(ROOT, file), file]))('%s does not pull zod into the browser', (_, file) => {
    expect(pullsZod(file)).toBeNull();
  });
});
