import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics, on a registry of our own (not the global one) so tests can build several apps. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by route, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency.',
    labelNames: ['route', 'method'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [this.registry],
  });

  readonly transcriptions = new Counter({
    name: 'transcriptions_total',
    help: 'Transcriptions by engine and outcome (ok or an error code).',
    labelNames: ['engine', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly audioSeconds = new Counter({
    name: 'audio_seconds_processed_total',
    help: 'Seconds of audio transcribed successfully.',
    labelNames: ['engine'] as const,
    registers: [this.registry],
  });

  readonly engineSeconds = new Histogram({
    name: 'engine_duration_seconds',
    help: 'Time spent in the engine per transcription.',
    labelNames: ['engine'] as const,
    buckets: [0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
    registers: [this.registry],
  });

  readonly queueDepth = new Gauge({
    name: 'transcription_queue_depth',
    help: 'Transcriptions waiting for the engine.',
    registers: [this.registry],
  });

  readonly inFlight = new Gauge({
    name: 'transcription_in_flight',
    help: 'Transcriptions running in the engine.',
    registers: [this.registry],
  });

  readonly jobs = new Counter({
    name: 'jobs_finished_total',
    help: 'Async jobs that ended, by outcome (succeeded, failed, cancelled).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly jobWindows = new Counter({
    name: 'job_windows_total',
    help: 'Windows of async jobs run through the engine, by outcome (ok or an error code, CANCELLED included).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly jobsRunning = new Gauge({
    name: 'jobs_running',
    help: 'Async jobs this process is running.',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
