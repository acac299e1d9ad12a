import { createWriteStream, statSync, type WriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/** A transfer that broke off; `retryable` when another attempt may get further (dropped connection, 5xx). */
export class TransferError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'TransferError';
  }
}

export interface TransferProgress {
  /** Bytes in the `.part` file so far. */
  readonly received: number;
  /** The whole file's length when the server said it, else null. */
  readonly total: number | null;
}

/** Bytes already in `file`, 0 when it does not exist. */
export function partBytes(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * One HTTP attempt that appends to `part` from where it ends: `Range: bytes=<size>-` when it has bytes already.
 * A server that ignores the Range (200 instead of 206) restarts the file from zero. Resolves when the body is
 * complete (its length matches what the server announced); throws TransferError otherwise, leaving the bytes
 * received in `part` for the next attempt.
 */
export async function transferToPart(
  url: string,
  part: string,
  onProgress: (progress: TransferProgress) => void,
  signal?: AbortSignal,
): Promise<TransferProgress> {
  let offset = partBytes(part);
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow', headers: offset > 0 ? { Range: `bytes=${offset}-` } : {}, ...(signal ? { signal } : {}) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new TransferError(`cannot reach ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`, true);
  }
  // 416 on a resume: the part already holds the whole file.
  if (response.status === 416 && offset > 0) {
    await response.body?.cancel();
    return { received: offset, total: totalFromContentRange(response.headers.get('content-range')) ?? offset };
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new TransferError(`${url}: HTTP ${response.status}`, response.status >= 500 || response.status === 429);
  }
  if (response.status !== 206) offset = 0; // the server sent the whole file: start the part again
  const length = Number(response.headers.get('content-length'));
  const total =
    response.status === 206 ? totalFromContentRange(response.headers.get('content-range')) : Number.isFinite(length) && length > 0 ? length : null;

  let received = offset;
  onProgress({ received, total });
  const count = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      onProgress({ received, total });
      callback(null, chunk);
    },
  });
  const out = createWriteStream(part, { flags: offset > 0 ? 'a' : 'w' });
  try {
    // pipeline() tears every stage down on failure, so a dropped connection cannot leave the write stream open.
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), count, out);
  } catch (error) {
    throw new TransferError(`the transfer broke off after ${received} bytes (${(error as Error).message})`, !signal?.aborted);
  } finally {
    // A body that fails at once can fail before the file is even open; the stream then opens (creating the .part)
    // and closes after the caller has heard of the failure, and could recreate a .part the caller just removed.
    await closed(out);
  }
  if (total !== null && received !== total) throw new TransferError(`the transfer ended at ${received} of ${total} bytes`, true);
  return { received, total };
}

function closed(stream: WriteStream): Promise<void> {
  return stream.closed ? Promise.resolve() : new Promise((resolve) => stream.once('close', () => resolve()));
}

/** `bytes 100-199/2000` → 2000; `*` or absent → null. */
function totalFromContentRange(header: string | null): number | null {
  const total = /\/(\d+)\s*$/.exec(header ?? '')?.[1];
  return total ? Number(total) : null;
}
