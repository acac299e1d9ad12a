import type { LoggerService } from '@nestjs/common';
import { currentRequestId } from './request-context';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof LEVELS;

/**
 * One JSON object per line on stdout, with the request id of the async context.
 * Callers log facts (ids, sizes, codes, timings) — never audio, transcripts or keys.
 */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly minimum: LogLevel = 'info',
    private readonly write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
  ) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.emit('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.emit('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }

  private emit(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (LEVELS[level] < LEVELS[this.minimum]) return;
    // Nest passes the context name last; an error's stack may come before it.
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level };
    if (context) entry['context'] = context;
    const requestId = currentRequestId();
    if (requestId) entry['request_id'] = requestId;
    if (message instanceof Error) {
      entry['msg'] = message.message;
      entry['stack'] = message.stack;
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(entry, message);
    } else {
      entry['msg'] = String(message);
    }
    for (const extra of rest) {
      if (typeof extra === 'string') entry['stack'] = extra;
      else if (extra instanceof Error) entry['stack'] = extra.stack;
    }
    this.write(JSON.stringify(entry));
  }
}
