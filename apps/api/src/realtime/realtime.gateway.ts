import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Request } from 'express';
import { WebSocketServer } from 'ws';
import { API_KEY_PREFIX } from '../auth/api-key';
import { ApiKeyVerifier } from '../auth/api-key-verifier';
import { FIRST_KEY_COMMAND } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { anonymousPrincipal, hasScope } from '../auth/route-access';
import { DomainError, isDomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { ShutdownState } from '../lifecycle/shutdown-state';
import { rateLimitKey } from '../limits/client-address';
import { hostAllowList } from '../limits/host-allow-list';
import { rateLimitError } from '../limits/rate-limit-response';
import { RateLimits } from '../limits/rate-limits';
import { TurnTranscriber } from '../streaming/turn-transcriber';
import { serveRealtimeConnection } from './realtime-connection';
import { chosenProtocol, realtimeKey } from './realtime-key';
import { RealtimeVad } from './realtime-vad';
import { SessionRegistry } from './session-registry';
import { checkUpgradeOrigin } from './upgrade-origin';
import { refuseUpgrade } from './upgrade-refusal';

export const REALTIME_PATH = '/v1/realtime';
/** Largest client event: a base64 append of ~1.5 MiB of audio (OpenAI allows 15 MiB; we hold turns of ≤ 30 s). */
const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

/**
 * `/v1/realtime?intent=transcription`: OpenAI's Realtime transcription sessions over WebSocket. The upgrade passes the
 * same checks as an HTTP route before any session exists: draining, the address and key rate limits, the API key
 * (header or browser subprotocol) with the `transcribe` scope, and the session bounds per process and per key.
 */
@Injectable()
export class RealtimeGateway implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Realtime');
  private readonly sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false, handleProtocols: chosenProtocol });
  private readonly registry: SessionRegistry;
  private readonly hostCheck: ReturnType<typeof hostAllowList>;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: AppConfig,
    private readonly verifier: ApiKeyVerifier,
    private readonly limits: RateLimits,
    private readonly shutdown: ShutdownState,
    private readonly vad: RealtimeVad,
    private readonly transcriber: TurnTranscriber,
  ) {
    this.registry = new SessionRegistry(config.realtime.maxSessions, config.realtime.maxSessionsPerKey);
    this.hostCheck = hostAllowList(config);
  }

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => void this.upgrade(request, socket, head));
  }

  onApplicationShutdown(): void {
    for (const client of this.sockets.clients) client.close(1001, 'server shutting down');
    this.sockets.close();
  }

  get openSessions(): number {
    return this.registry.open;
  }

  private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const requestId = randomUUID();
    socket.on('error', () => socket.destroy());
    let release: (() => void) | undefined;
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (url.pathname !== REALTIME_PATH) throw new DomainError('NOT_FOUND', `No WebSocket route at ${url.pathname}; realtime sessions are at ${REALTIME_PATH}.`);
      const intent = url.searchParams.get('intent');
      if (intent !== null && intent !== 'transcription') {
        throw new DomainError('INVALID_OPTION', 'This server offers transcription sessions only: use ?intent=transcription.', { param: 'intent' });
      }
      if (this.shutdown.draining) throw new DomainError('SHUTTING_DOWN', undefined, {}, 1);
      // The HTTP routes' Host allow-list (DNS rebinding), and the Origin check WebSockets need instead of CORS.
      this.hostCheck?.(request as Request, undefined as never, (refusal?: unknown) => {
        if (refusal) throw refusal;
      });
      checkUpgradeOrigin(request, this.config);
      this.takeRate('ip', rateLimitKey(request.socket.remoteAddress));
      const principal = await this.identify(request);
      if (!hasScope(principal, 'transcribe')) {
        throw principal.keyId === null
          ? new DomainError('UNAUTHORIZED', 'Realtime sessions need an API key with the scope "transcribe".', { scope: 'transcribe' })
          : new DomainError('FORBIDDEN', 'This API key lacks the scope "transcribe" that realtime sessions need.', { scope: 'transcribe' });
      }
      if (principal.keyId) this.takeRate('key', principal.keyId);
      if (this.config.realtime.maxSessions === 0) throw new DomainError('NOT_FOUND', 'Realtime sessions are turned off on this server (REALTIME_MAX_SESSIONS=0).');
      release = this.registry.take(principal.ownerId);
      const detector = await this.vad.detector();
      const done = release;
      this.sockets.handleUpgrade(request, socket, head, (ws) => {
        this.logger.log({ msg: 'realtime session opened', request_id: requestId, key_id: principal.keyId, open: this.registry.open });
        serveRealtimeConnection(ws, { detector, transcriber: this.transcriber, config: this.config.realtime, onClosed: done }, this.logger);
      });
    } catch (error) {
      release?.();
      const refusal = isDomainError(error) ? error : new DomainError('INTERNAL_ERROR');
      if (!isDomainError(error)) this.logger.error({ msg: 'realtime upgrade failed', request_id: requestId, error: String(error) });
      refuseUpgrade(socket, refusal, requestId);
    }
  }

  /** As AuthGuard: a key of ours is always checked; without one, anonymous only while keys are optional. */
  private async identify(request: IncomingMessage): Promise<Principal> {
    const presented = realtimeKey(request);
    const required = this.config.auth.keysRequired;
    if (presented !== null && (required || presented.startsWith(API_KEY_PREFIX))) return this.verifier.verify(presented);
    if (!required) return anonymousPrincipal();
    throw new DomainError(
      'UNAUTHORIZED',
      `This API requires an API key: send "Authorization: Bearer <key>" or the subprotocol "openai-insecure-api-key.<key>". An operator creates one with \`${FIRST_KEY_COMMAND}\`.`,
    );
  }

  private takeRate(scope: 'ip' | 'key', bucket: string): void {
    const limiter = scope === 'ip' ? this.limits.perIp : this.limits.perKey;
    const decision = limiter?.take(bucket);
    if (decision && !decision.allowed) throw rateLimitError(scope, decision);
  }
}
