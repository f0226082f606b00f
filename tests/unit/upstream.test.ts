import { describe, expect, it } from 'vitest';
import {
  AWS_REQUEST_HANDLER,
  IDP_TIMEOUT_SECONDS,
  UPSTREAM_ACTION_BOUND_MS,
  UPSTREAM_ATTEMPT_TIMEOUT_MS,
  UPSTREAM_CALL_BOUND_MS,
  UPSTREAM_CONNECT_TIMEOUT_MS,
  UPSTREAM_MAX_ATTEMPTS,
} from '@/lib/upstream';

describe('upstream deadlines', () => {
  it('enforce the request timeout instead of only logging it', () => {
    expect(AWS_REQUEST_HANDLER).toEqual({
      connectionTimeout: UPSTREAM_CONNECT_TIMEOUT_MS,
      requestTimeout: UPSTREAM_ATTEMPT_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    });
  });

  it('fit one failing call, every attempt and the retry backoff, inside the action bound', () => {
    expect(UPSTREAM_CONNECT_TIMEOUT_MS).toBeLessThanOrEqual(UPSTREAM_ATTEMPT_TIMEOUT_MS);
    expect(UPSTREAM_MAX_ATTEMPTS).toBeGreaterThanOrEqual(1);
    expect(UPSTREAM_CALL_BOUND_MS).toBeGreaterThanOrEqual(UPSTREAM_MAX_ATTEMPTS * UPSTREAM_ATTEMPT_TIMEOUT_MS);
    expect(UPSTREAM_CALL_BOUND_MS).toBeLessThanOrEqual(UPSTREAM_ACTION_BOUND_MS);
    expect(IDP_TIMEOUT_SECONDS * 1000).toBeLessThanOrEqual(UPSTREAM_ACTION_BOUND_MS);
  });
});
