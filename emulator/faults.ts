import type { ServerResponse } from 'node:http';

export const FAULT_TARGETS = ['authorize', 'token', 'userinfo', 'revoke', 'jwks', 'identity', 's3'] as const;
export type FaultTarget = (typeof FAULT_TARGETS)[number];

export interface Fault {
  target: FaultTarget;
  /** HTTP status to answer with; 0 means "hang up without answering" after the delay. */
  status: number;
  delayMs: number;
  /** How many requests it applies to; -1 for all until cleared. */
  times: number;
  /** Only requests with this HTTP method (`HEAD`, `PUT`...), e.g. one S3 operation; any method when absent. */
  method?: string;
}

/** Injected failures (`POST /_local/faults`), consumed by the request handlers of each target. */
export class Faults {
  private faults: Fault[] = [];

  add(fault: Fault): void {
    this.faults.push(fault);
  }

  clear(): void {
    this.faults = [];
  }

  list(): readonly Fault[] {
    return this.faults;
  }

  /**
   * Applies the first pending fault for `target` (and the request's method, when the fault names
   * one), if any: waits `delayMs`, then answers with `status` (a generic body) and returns true, so
   * the caller stops. A fault with status 200 only delays, and returns false so the request is
   * then served normally.
   */
  async apply(target: FaultTarget, res: ServerResponse): Promise<boolean> {
    const method = res.req?.method?.toUpperCase();
    const fault = this.faults.find(
      (candidate) => candidate.target === target && (candidate.method === undefined || candidate.method === method),
    );
    if (!fault) return false;
    if (fault.times > 0) fault.times -= 1;
    if (fault.times === 0) this.faults = this.faults.filter((candidate) => candidate !== fault);
    if (fault.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault.status === 200) return false;
    if (fault.status === 0) {
      res.socket?.destroy();
      return true;
    }
    res.writeHead(fault.status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`Injected fault (${target}): ${fault.status}`);
    return true;
  }
}
