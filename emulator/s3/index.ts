import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context.ts';

/** Placeholder until the s3 emulator lands: answers nothing. */
export async function handleS3(_req: IncomingMessage, _res: ServerResponse, _ctx: EmulatorContext, _url: URL): Promise<boolean> {
  return false;
}
