/**
 * A person using Cubby over plain HTTP, as the browser does, for bench/load.ts: a cookie jar shared
 * by the person's tabs, sign-in through the real managed-login flow, and the /files server actions
 * called by id. Requests go to the app instances in turn (a tiny round-robin), all presenting the
 * one public origin (APP_URL). Plain Node (type stripping), loopback only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Browser } from '../../tests/helpers/cognito-login.ts';
import { actionResultFromFlight, encodeActionArguments, type FlightResult } from './flight.ts';

/** The app's instances and its one public origin; {@link next} hands out instances in turn. */
export class Instances {
  readonly origin: string;
  readonly urls: readonly string[];
  #turn = 0;

  /** `origin` is APP_URL's origin; `urls` the instances' own base URLs (loopback). */
  constructor(origin: string, urls: readonly string[]) {
    if (urls.length === 0) throw new Error('at least one app instance is needed');
    for (const url of [origin, ...urls]) {
      const { hostname } = new URL(url);
      if (!['127.0.0.1', 'localhost', '[::1]'].includes(hostname)) throw new Error(`${url} is not a loopback address`);
    }
    this.origin = new URL(origin).origin;
    this.urls = urls.map((url) => new URL(url).origin);
  }

  /** The next instance's base URL. */
  next(): string {
    const url = this.urls[this.#turn % this.urls.length] as string;
    this.#turn += 1;
    return url;
  }

  /**
   * `target` (a path, or an absolute URL on the public origin) on the next instance, with the
   * headers a load balancer adds when that instance is not the public origin itself (Next checks a
   * server action's Origin against X-Forwarded-Host, else Host).
   */
  route(target: string | URL): { url: string; headers: Record<string, string> } {
    const url = new URL(target, this.origin);
    if (url.origin !== this.origin) return { url: url.toString(), headers: {} };
    const base = this.next();
    const routed = new URL(`${url.pathname}${url.search}`, base);
    if (routed.origin === this.origin) return { url: routed.toString(), headers: {} };
    const publicUrl = new URL(this.origin);
    return {
      url: routed.toString(),
      headers: { 'x-forwarded-host': publicUrl.host, 'x-forwarded-proto': publicUrl.protocol.replace(':', '') },
    };
  }
}

/** The /files actions the load uses, by exported name. */
export const FILE_ACTIONS = [
  'createUpload',
  'presignParts',
  'completeUpload',
  'abortUpload',
  'renameFile',
  'getDownloadUrl',
  'deleteFiles',
  'listFiles',
] as const;
export type FileAction = (typeof FILE_ACTIONS)[number];

/**
 * The ids of app/(signed-in)/files/actions.ts's exports in a built server (`dir` holds `.next/`):
 * from `.next/server/server-reference-manifest.json`, which maps each id to its file and export.
 * @throws {Error} when an action is missing from the build.
 */
export function fileActionIds(dir: string): Record<FileAction, string> {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, '.next', 'server', 'server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { filename: string; exportedName: string }>;
  };
  const ids: Partial<Record<FileAction, string>> = {};
  for (const [id, entry] of Object.entries(manifest.node)) {
    if (entry.filename !== 'app/(signed-in)/files/actions.ts') continue;
    if ((FILE_ACTIONS as readonly string[]).includes(entry.exportedName)) ids[entry.exportedName as FileAction] = id;
  }
  for (const name of FILE_ACTIONS) if (!ids[name]) throw new Error(`the build has no server action ${name} for /files`);
  return ids as Record<FileAction, string>;
}

/** How one request ended when it did not answer: `timeout` means its outcome is unknown. */
export class RequestFailure extends Error {
  readonly kind: 'timeout' | 'network' | 'http' | 'parse';
  readonly status: number;
  constructor(kind: RequestFailure['kind'], message: string, status = 0) {
    super(message);
    this.kind = kind;
    this.status = status;
  }
}

/** Wraps fetch's own failures (abort on deadline, connection errors) as {@link RequestFailure}. */
export async function bounded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RequestFailure) throw error;
    const name = error instanceof Error ? error.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') throw new RequestFailure('timeout', String(error));
    throw new RequestFailure('network', error instanceof Error ? `${error.message} ${String(error.cause ?? '')}` : String(error));
  }
}

/**
 * Where one app request went: the `x-request-id` it carried (the app writes it on every log line of
 * the request) and the instance that served it.
 */
export interface RequestTrace {
  requestId: string;
  instance: string;
  /** True when the answer told the browser to drop its session cookie. */
  clearedSession?: boolean;
}

/** A Set-Cookie line that deletes a session cookie (Max-Age=0, or an empty value). */
const CLEARS_SESSION = /^cubby-session[^=]*=(;|\s*$|.*;\s*max-age=0\s*(;|$))/i;

/** One signed-in person: a cookie jar every tab shares, as a browser's tabs share theirs. */
export class Person {
  readonly email: string;
  /** Short name in request ids (`load-<tag>-<n>`), so the servers' log lines name the person. */
  readonly tag: string;
  /** The person's `sub` in the user pool, once created. */
  sub = '';
  readonly browser = new Browser();
  readonly #instances: Instances;
  readonly #ids: Record<FileAction, string>;
  readonly #timeoutMs: number;
  #requests = 0;

  constructor(email: string, instances: Instances, ids: Record<FileAction, string>, timeoutMs: number, tag = 'p') {
    this.email = email;
    this.tag = tag;
    this.#instances = instances;
    this.#ids = ids;
    this.#timeoutMs = timeoutMs;
  }

  /**
   * A request to the app (a path or an absolute app URL) through the round-robin, with the jar's
   * cookies and a request id of its own; `trace`, when given, receives the id and the instance.
   */
  async fetchApp(target: string | URL, init: RequestInit = {}, trace?: RequestTrace): Promise<Response> {
    const { url, headers } = this.#instances.route(target);
    const merged = new Headers(init.headers);
    for (const [name, value] of Object.entries(headers)) merged.set(name, value);
    this.#requests += 1;
    const requestId = `load-${this.tag}-${String(this.#requests).padStart(6, '0')}`;
    merged.set('x-request-id', requestId);
    if (trace) {
      trace.requestId = requestId;
      trace.instance = new URL(url).origin;
    }
    const response = await this.browser.fetch(url, { ...init, headers: merged, signal: AbortSignal.timeout(this.#timeoutMs) });
    if (trace) trace.clearedSession = response.headers.getSetCookie().some((line) => CLEARS_SESSION.test(line));
    return response;
  }

  /**
   * Signs in through the managed login as a browser does: /auth/login → the emulator's authorize
   * and login form → /auth/callback, every redirect followed by hand.
   * @throws {Error} when the flow does not end at the app with session cookies.
   */
  async signIn(password: string): Promise<void> {
    const origin = this.#instances.origin;
    const located = (response: Response, base: string | URL) => {
      const location = response.headers.get('location');
      if (!location) throw new Error(`sign-in of ${this.email}: ${response.status} without a Location`);
      return new URL(location, base);
    };
    let response = await this.fetchApp('/auth/login?returnTo=%2Ffiles');
    let location = located(response, origin);
    response = await this.browser.fetch(location, { signal: AbortSignal.timeout(this.#timeoutMs) });
    location = located(response, location);
    if (location.pathname === '/login') {
      response = await this.browser.fetch(location, {
        method: 'POST',
        body: new URLSearchParams({ username: this.email, password }),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      location = located(response, location);
    }
    if (location.origin !== origin || location.pathname !== '/auth/callback') {
      throw new Error(`sign-in of ${this.email} ended at ${location.origin}${location.pathname}`);
    }
    response = await this.fetchApp(location);
    const landed = located(response, origin);
    if (landed.pathname !== '/files') throw new Error(`sign-in of ${this.email} landed on ${landed.pathname}`);
    if (![...this.browser.cookies.keys()].some((name) => name.startsWith('cubby-session'))) {
      throw new Error(`sign-in of ${this.email} set no session cookie`);
    }
  }

  /**
   * Calls a /files server action as the browser's fetch does (POST /files with the action's id,
   * the arguments as a JSON array, the page's Origin) and reads its ActionResult.
   * @throws {RequestFailure} on a timeout, a network error, a non-200 answer or an unreadable body.
   */
  async action(name: FileAction, input: unknown, trace?: RequestTrace): Promise<FlightResult> {
    return bounded(async () => {
      const response = await this.fetchApp(
        '/files',
        {
          method: 'POST',
          headers: {
            'next-action': this.#ids[name],
            accept: 'text/x-component',
            'content-type': 'text/plain;charset=UTF-8',
            origin: this.#instances.origin,
          },
          body: encodeActionArguments([input]),
        },
        trace,
      );
      const body = new Uint8Array(await response.arrayBuffer());
      if (response.status !== 200) {
        const text = new TextDecoder().decode(body.subarray(0, 200));
        throw new RequestFailure('http', `${name}: ${response.status} ${text}`, response.status);
      }
      try {
        return actionResultFromFlight(body);
      } catch (error) {
        throw new RequestFailure('parse', `${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  }
}
