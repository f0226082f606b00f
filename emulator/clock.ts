/** The emulator's clock: real time plus an offset that tests move through `POST /_local/clock`. */
export class Clock {
  offsetSeconds = 0;

  /** Milliseconds since the epoch, as the emulator sees it. */
  now(): number {
    return Date.now() + this.offsetSeconds * 1000;
  }

  /** Whole seconds since the epoch (JWT `iat`/`exp`, credential expiry). */
  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  date(): Date {
    return new Date(this.now());
  }
}
