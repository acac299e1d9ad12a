import type { IncomingMessage } from 'node:http';
import { DomainError } from '../common/domain-error';

/**
 * Calls `onIdle` when no byte arrives on the request's socket for `seconds` while the body is being received.
 * Returns the function that stops watching; call it as soon as the body is in, so that a synchronous
 * transcription (minutes of engine work while the client waits in silence) is never cut off.
 */
export function watchUploadIdle(request: IncomingMessage, seconds: number, onIdle: (error: DomainError) => void): () => void {
  const fire = () => {
    // Once the 408 is out and the connection closed, end the request stream as well. Node detaches a request from
    // its socket when the response finishes, so it would never emit 'close' or 'aborted' by itself, and the multipart
    // parser would keep its half-written file open (a descriptor, and disk space, in the removed folder) for good.
    request.socket?.once('close', () => request.destroy());
    onIdle(new DomainError('REQUEST_TIMEOUT', `No data arrived for ${seconds} s during the upload; the request was abandoned.`, { idle_timeout_seconds: seconds }));
  };
  // A listener on the request (not the socket) also keeps Node's server from destroying the socket itself, so the
  // client still gets its 408.
  request.setTimeout(seconds * 1000, fire);
  return () => {
    request.off('timeout', fire);
    request.socket?.setTimeout(0);
  };
}
