import { Transform, type TransformCallback } from 'node:stream';
import { s3Errors } from './errors.ts';

const MAX_LINE = 8192;

/**
 * Decodes the `aws-chunked` content encoding (STREAMING-UNSIGNED-PAYLOAD-TRAILER bodies):
 * `<hex size>[;ext]\r\n<data>\r\n` … `0\r\n` then trailer lines (`x-amz-checksum-crc32:…`) and
 * an empty line. Emits only the data; trailer headers are in {@link trailers} once finished.
 * Malformed framing fails the stream with IncompleteBody.
 */
export class AwsChunkedDecoder extends Transform {
  readonly trailers = new Map<string, string>();
  private state: 'size' | 'data' | 'data-end' | 'trailer' | 'done' = 'size';
  private line = '';
  private remaining = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.consume(chunk);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    callback(this.state === 'done' ? null : s3Errors.incompleteBody());
  }

  private consume(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.state === 'data') {
        const take = Math.min(this.remaining, chunk.length - offset);
        this.push(chunk.subarray(offset, offset + take));
        offset += take;
        this.remaining -= take;
        if (this.remaining === 0) this.state = 'data-end';
        continue;
      }
      const newline = chunk.indexOf(0x0a, offset);
      const end = newline < 0 ? chunk.length : newline + 1;
      this.line += chunk.toString('latin1', offset, end);
      offset = end;
      if (this.line.length > MAX_LINE) throw s3Errors.incompleteBody();
      if (newline < 0) continue;
      const line = this.line.replace(/\r?\n$/, '');
      this.line = '';
      this.onLine(line);
    }
  }

  private onLine(line: string): void {
    switch (this.state) {
      case 'size': {
        const size = Number.parseInt(line.split(';', 1)[0] ?? '', 16);
        if (!Number.isFinite(size) || size < 0) throw s3Errors.incompleteBody();
        this.remaining = size;
        this.state = size === 0 ? 'trailer' : 'data';
        return;
      }
      case 'data-end':
        if (line !== '') throw s3Errors.incompleteBody();
        this.state = 'size';
        return;
      case 'trailer': {
        if (line === '') {
          this.state = 'done';
          return;
        }
        const colon = line.indexOf(':');
        if (colon > 0) this.trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
        return;
      }
      default:
        throw s3Errors.incompleteBody();
    }
  }
}
