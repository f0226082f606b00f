/**
 * Session benchmark: cost of reading the session cookie on a request, and the cookie budget of a
 * realistic Cognito session (cognito-wire-facts §3.3: ID token with three groups and their role
 * ARNs, access token, ~1.8 KB refresh JWE). Run: `npx node bench/session.ts` (Node 24 type
 * stripping; everything it imports uses relative `.ts` imports). Prints a markdown table.
 */
import { getIronSession } from 'iron-session';
import { createSession, readSession } from '../lib/auth/session.ts';
import { MAX_SESSION_CHUNKS } from '../lib/auth/session-config.ts';
import { packTokens } from '../lib/auth/token-codec.ts';
import { realistic } from '../tests/fixtures/tokens.ts';
import { MemoryCookieStore, testSessionConfig } from '../tests/helpers/session-cookie.ts';

const ITERATIONS = 2000;
const WARMUP = 200;
const HEADER_BUDGET = 6144;
const config = testSessionConfig();

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function timeMicros(run: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let index = 0; index < WARMUP; index += 1) await run();
  const samples: number[] = [];
  for (let index = 0; index < ITERATIONS; index += 1) {
    const start = performance.now();
    await run();
    samples.push((performance.now() - start) * 1000);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

// The app's own cookies for a realistic session.
const store = new MemoryCookieStore();
await createSession(store, realistic.tokens, realistic.claims, { config });
const header = store.header();
const sealedPacked = store
  .getAll()
  .map(({ value }) => value)
  .join('');

// The same session with the tokens stored as plain strings, sealed and chunked by iron-session alike.
const unpackedStore = new MemoryCookieStore();
const unpacked = await getIronSession<Record<string, unknown>>(unpackedStore, {
  cookieName: config.cookieName,
  password: config.sealPassword,
  chunk: true,
  ttl: 86_400,
  cookieOptions: { ...config.attributes, maxAge: 86_400 },
});
const session = await readSession(store, { config });
if (!session) throw new Error('the benchmark session does not read back');
Object.assign(unpacked, { ...session.data(), tokens: realistic.tokens });
await unpacked.save();
const sealedUnpacked = unpackedStore
  .getAll()
  .map(({ value }) => value)
  .join('');

const read = await timeMicros(() => readSession(store, { config, readOnly: true }));
const readWithTokens = await timeMicros(async () => (await readSession(store, { config, readOnly: true }))?.tokens());
const create = await timeMicros(() => createSession(new MemoryCookieStore(), realistic.tokens, realistic.claims, { config }));

const { idToken, accessToken, refreshToken } = realistic.tokens;
const rawTokenChars = idToken.length + accessToken.length + refreshToken.length;
const packedChars = packTokens(realistic.tokens).length;
const headerBytes = Buffer.byteLength(header);
const unpackedHeaderBytes = Buffer.byteLength(unpackedStore.header());
const micros = (value: number) => `${value.toFixed(1)} µs`;

console.log(`Session benchmark (Node ${process.version}, ${ITERATIONS} iterations after ${WARMUP} warm-up)\n`);
console.log('| Measure | Value | Target |');
console.log('| --- | --- | --- |');
console.log(`| Session read (unseal + schema + timeouts), p50 | ${micros(read.p50)} | |`);
console.log(`| Session read (unseal + schema + timeouts), p95 | ${micros(read.p95)} | |`);
console.log(`| Session read + tokens() unpack, p50 | ${micros(readWithTokens.p50)} | |`);
console.log(`| createSession (pack + budget check + seal), p50 | ${micros(create.p50)} | |`);
console.log(`| Tokens: ID / access / refresh | ${idToken.length} / ${accessToken.length} / ${refreshToken.length} chars | |`);
console.log(
  `| Tokens raw -> packed | ${rawTokenChars} -> ${packedChars} chars (${Math.round((1 - packedChars / rawTokenChars) * 100)}% smaller) | |`,
);
console.log(`| Sealed session, tokens unpacked | ${sealedUnpacked.length} bytes | |`);
console.log(
  `| Sealed session, tokens packed | ${sealedPacked.length} bytes (${Math.round((1 - sealedPacked.length / sealedUnpacked.length) * 100)}% smaller) | |`,
);
console.log(
  `| Cookies (chunks), unpacked -> packed | ${unpackedStore.getAll().length} -> ${store.getAll().length} | ≤ ${MAX_SESSION_CHUNKS} |`,
);
console.log(`| Whole Cookie header, tokens unpacked | ${unpackedHeaderBytes} bytes | ≤ ${HEADER_BUDGET} |`);
console.log(
  `| **Whole Cookie header, realistic session** | **${headerBytes} bytes** | ≤ ${HEADER_BUDGET} ${headerBytes <= HEADER_BUDGET ? '✓' : '✗'} |`,
);
