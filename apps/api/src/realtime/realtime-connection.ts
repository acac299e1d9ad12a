import { Logger } from '@nestjs/common';
import type { WebSocket } from 'ws';
import { DomainError } from '../common/domain-error';
import type { RealtimeConfig } from '../config/app-config';
import type { TurnTranscriber } from '../streaming/turn-transcriber';
import type { SpeechDetector } from '../vad/speech-detector.port';
import { RealtimeSession } from './realtime-session';
import { errorEvent } from './server-events';

/** Events a client may have unread before the session is closed (it stopped reading; its events only pile up). */
const MAX_UNREAD_BYTES = 4 * 1024 * 1024;

/** Close codes: 1000 normal, 1008 policy (timeouts, a client that does not read), 1011 an unexpected server failure. */
export interface ConnectionPorts {
  readonly detector: SpeechDetector;
  readonly transcriber: TurnTranscriber;
  readonly config: RealtimeConfig;
  /** Called once when the connection is gone (frees its place in the registry). */
  readonly onClosed: () => void;
}

/** One WebSocket carrying one realtime session: messages in order, idle and maximum-duration timeouts. */
export function serveRealtimeConnection(socket: WebSocket, ports: ConnectionPorts, logger = new Logger('Realtime')): RealtimeSession {
  const send = (event: object) => {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_UNREAD_BYTES) {
      socket.close(1008, 'client is not reading its events');
      return;
    }
    socket.send(JSON.stringify(event));
  };
  const session = new RealtimeSession({
    send,
    detector: ports.detector,
    transcriber: ports.transcriber,
    limits: { maxTurnSeconds: ports.config.maxTurnSeconds, partialIntervalMs: ports.config.partialIntervalMs },
  });
  const endWith = (error: DomainError) => {
    send(errorEvent(error, null));
    socket.close(1008, error.code);
  };
  let idle = setTimeout(() => undefined, 0);
  const touch = () => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      // Waiting for our final transcripts is not idling.
      if (session.owesTranscripts) touch();
      else endWith(new DomainError('REQUEST_TIMEOUT', `No client event for ${ports.config.idleTimeoutMs / 1000} s; the session is closed.`));
    }, ports.config.idleTimeoutMs);
  };
  const lifetime = setTimeout(
    () => endWith(new DomainError('AUDIO_TOO_LONG', `A realtime session lasts at most ${ports.config.maxSessionMs / 1000} s; open a new one.`)),
    ports.config.maxSessionMs,
  );
  touch();
  socket.on('message', (data, isBinary) => {
    touch();
    if (isBinary) {
      send(errorEvent(new DomainError('INVALID_OPTION', 'Client events are JSON text frames; audio goes base64 in input_audio_buffer.append.', { param: 'event' }), null));
      return;
    }
    void session.receive(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8'));
  });
  socket.on('error', (error) => logger.warn({ msg: 'realtime socket error', error: error.message }));
  socket.once('close', () => {
    clearTimeout(idle);
    clearTimeout(lifetime);
    session.close();
    ports.onClosed();
  });
  return session;
}
