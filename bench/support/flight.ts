/**
 * Reading a server action's answer as a client outside React does (bench/load.ts). Plain Node, no
 * framework: pure, so tests/unit/flight-result.test.ts checks it on a captured response.
 */

/** What every Cubby action returns (lib/files/types.ts's ActionResult, loosely typed). */
export type FlightResult =
  | { ok: true; value: unknown }
  | { ok: false; code: string; message: string; details?: Record<string, string> };

const COLON = 0x3a;
const COMMA = 0x2c;
const NEWLINE = 0x0a;

/**
 * The rows of a flight body (`Content-Type: text/x-component`, React's RSC wire format) by id.
 * A row is `<hex id>:<payload>\n`, except a text row, `<hex id>:T<hex byte length>,<text>`, which
 * has no newline: exactly that many UTF-8 bytes follow. Rows with an empty id (`:HL[…]`, resource
 * hints) are skipped. Values are the raw payloads (JSON, or a tag letter and its data).
 */
function flightRows(body: Uint8Array): Map<string, { text: string } | { json: string }> {
  const decoder = new TextDecoder();
  const rows = new Map<string, { text: string } | { json: string }>();
  let at = 0;
  while (at < body.length) {
    const colon = body.indexOf(COLON, at);
    if (colon < 0) break;
    const id = decoder.decode(body.subarray(at, colon));
    if (body[colon + 1] === 0x54 /* T */) {
      const comma = body.indexOf(COMMA, colon + 2);
      const length = Number.parseInt(decoder.decode(body.subarray(colon + 2, comma)), 16);
      rows.set(id, { text: decoder.decode(body.subarray(comma + 1, comma + 1 + length)) });
      at = comma + 1 + length;
      continue;
    }
    const end = body.indexOf(NEWLINE, colon);
    const stop = end < 0 ? body.length : end;
    if (id !== '') rows.set(id, { json: decoder.decode(body.subarray(colon + 1, stop)) });
    at = stop + 1;
  }
  return rows;
}

/**
 * The action's return value in a server action response. Row `0` is the envelope Next writes
 * (`{"a":"$@1","b":"<build id>",…}`): `a` points at the row holding the result, whose payload is
 * the returned value as JSON, e.g. `1:{"ok":true,"value":{…}}`. When the action also changed
 * cookies, Next re-renders the page into the same answer (many more rows, ignored here). Inside the
 * value React writes a few strings as references: a long string is moved to a text row and
 * referenced as `"$<hex id>"` (a presigned URL usually is), a string that starts with `$` is
 * escaped as `"$$…"`, and `undefined` is `"$undefined"`. Cubby's actions return plain JSON, so any
 * other `$` tag (Date, Map, promise, …) is refused rather than guessed at.
 * @throws {Error} when the body has no envelope, the result row is missing, the value holds an
 *   unsupported reference, or it is not an `{ok: …}` object.
 */
export function actionResultFromFlight(body: Uint8Array): FlightResult {
  const rows = flightRows(body);
  const rowValue = (id: string): unknown => {
    const row = rows.get(id);
    if (row === undefined) throw new Error(`row ${id} is missing from the action's answer`);
    if ('text' in row) return row.text;
    // `E{"digest":…}`: the action threw (Next answers 500 then); the digest names it in the server's log.
    if (row.json.startsWith('E')) throw new Error(`the action threw: ${row.json.slice(1, 200)}`);
    return revive(JSON.parse(row.json) as unknown);
  };
  const revive = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (!value.startsWith('$')) return value;
      if (value.startsWith('$$')) return value.slice(1);
      if (value === '$undefined') return undefined;
      if (/^\$[0-9a-f]+$/.test(value)) return rowValue(value.slice(1));
      throw new Error(`unsupported flight reference ${value.slice(0, 20)}`);
    }
    if (Array.isArray(value)) return value.map(revive);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, revive(inner)]));
    }
    return value;
  };
  const envelope = rows.get('0');
  if (envelope === undefined || !('json' in envelope)) {
    throw new Error(`no envelope row in the action's answer: ${new TextDecoder().decode(body.subarray(0, 200))}`);
  }
  const pointer = (JSON.parse(envelope.json) as { a?: unknown }).a;
  if (typeof pointer !== 'string' || !/^\$@[0-9a-f]+$/.test(pointer)) {
    throw new Error(`the envelope names no result row: ${envelope.json.slice(0, 200)}`);
  }
  const result = rowValue(pointer.slice(2));
  if (typeof result !== 'object' || result === null || typeof (result as { ok?: unknown }).ok !== 'boolean') {
    throw new Error(`the result row is not an ActionResult: ${JSON.stringify(result).slice(0, 200)}`);
  }
  return result as FlightResult;
}

/**
 * A server action's arguments as the request body React's `encodeReply` writes for plain JSON
 * values: a JSON array, with every string that starts with `$` escaped as `$$…` (the server reads
 * an unescaped `$…` as a reference) and `undefined` members of objects left out.
 */
export function encodeActionArguments(args: readonly unknown[]): string {
  return JSON.stringify(args, (_, value: unknown) => (typeof value === 'string' && value.startsWith('$') ? `$${value}` : value));
}
