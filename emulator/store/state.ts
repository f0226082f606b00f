import fs from 'node:fs';
import path from 'node:path';

/**
 * The emulator's persistent state: named JSON sections, each owned by one part of the emulator
 * (user pool, identity pool, S3 metadata...). Sections are plain mutable objects; after changing
 * one, call {@link StateStore.changed} and the whole state is written to `state.json` shortly after
 * (atomically, via a temporary file). With no directory, nothing is written.
 */
export class StateStore {
  private sections: Record<string, unknown> = {};
  private timer: NodeJS.Timeout | undefined;
  private readonly file: string | null;

  constructor(dir: string | null, reset: boolean) {
    this.file = dir ? path.join(dir, 'state.json') : null;
    if (this.file && !reset && fs.existsSync(this.file)) {
      this.sections = JSON.parse(fs.readFileSync(this.file, 'utf8')) as Record<string, unknown>;
    }
  }

  /** The section `name`, created by `init` the first time it is asked for. */
  section<T extends object>(name: string, init: () => T): T {
    if (!(name in this.sections)) {
      this.sections[name] = init();
      this.changed();
    }
    return this.sections[name] as T;
  }

  /** Forgets every section (`POST /_local/reset`). Owners re-create theirs on next use. */
  clear(): void {
    this.sections = {};
    this.changed();
  }

  /** Schedules a write of the whole state. */
  changed(): void {
    if (!this.file || this.timer) return;
    this.timer = setTimeout(() => this.flush(), 50);
    this.timer.unref();
  }

  /** Writes the state now (also called on shutdown). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.file) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(this.sections));
    fs.renameSync(temporary, this.file);
  }
}
