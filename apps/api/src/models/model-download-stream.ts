import type { Request, Response } from 'express';
import type { DownloadEvent, ModelDownload } from '../engines/model-downloads/model-download';

const HEARTBEAT_MS = 15_000;

/**
 * POST /v1/models/{id}/download's text/event-stream: `model.download.progress` events, then one
 * `model.download.completed` or `model.download.failed`, then the response ends. A client that goes away only stops
 * watching; the download goes on, and a new POST re-attaches to it.
 */
export function streamModelDownload(download: ModelDownload, request: Request, response: Response, requestId: string): void {
  response.status(200);
  response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  response.setHeader('Cache-Control', 'no-cache, no-transform');
  response.setHeader('X-Accel-Buffering', 'no'); // proxies must pass each event through at once
  response.flushHeaders();
  const send = (name: string, data: object) => response.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
  let stop: () => void = () => undefined;
  const end = () => {
    clearInterval(heartbeat);
    stop();
    if (!response.writableEnded) response.end();
  };
  request.on('close', end);
  stop = download.watch((event: DownloadEvent) => {
    if (event.type === 'progress') {
      send('model.download.progress', { id: event.id, received_bytes: event.receivedBytes, total_bytes: event.totalBytes });
    } else if (event.type === 'completed') {
      send('model.download.completed', { id: event.id, size_bytes: event.sizeBytes, sha256: event.sha256 });
      end();
    } else {
      send('model.download.failed', { id: event.id, error: { code: event.error.code, message: event.error.message, request_id: requestId } });
      end();
    }
  });
}
