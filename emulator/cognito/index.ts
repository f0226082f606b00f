import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context.ts';

/** Placeholder until the cognito emulator lands: answers nothing. */
export async function handleCognito(
  _req: IncomingMessage,
  _res: ServerResponse,
  _ctx: EmulatorContext,
  _url: URL,
): Promise<boolean> {
  return false;
}
