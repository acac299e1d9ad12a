import { rm } from 'node:fs/promises';
import { Injectable, Logger } from '@nestjs/common';
import type { TranscriptionResult } from '@speech/contracts';
import { DomainError, isDomainError } from '../common/domain-error';
import { TempWorkspace } from '../common/temp-workspace';
import { AppConfig } from '../config/app-config';
import type { NormalizedAudio } from '../engines/transcription-engine.port';
import { FairYield, YieldedTurn } from '../fair-share/fair-yield';
import { MetricsService } from '../metrics/metrics.service';
import { BlobNotFoundError, BlobStore } from '../storage/blob-store.port';
import { requireAudioFormat } from '../pipeline/audio-format';
import { DiarizeStage } from '../pipeline/diarize.stage';
import { DispatchStage } from '../pipeline/dispatch.stage';
import { PrepareStage } from '../pipeline/prepare.stage';
import { judgeResult } from '../pipeline/segment-quality';
import { fitToSpeech, speechEdgesOf } from '../pipeline/speech-edges';
import { withWarnings } from '../pipeline/tidy-result';
import type { TranscribeOptions } from '../pipeline/transcribe-options';
import { type EnabledVad, regionsInSeconds, VadStage } from '../pipeline/vad.stage';
import type { SpeechRegion } from '../vad/speech-regions';
import { mergeWindowResults, type WindowResult } from '../windowing/merge-windows';
import { type AudioWindow, planWindows, type WindowPlan } from '../windowing/silence-splitter';
import { regionsInWindow } from '../windowing/pause-cuts';
import { writeWindowFile } from '../windowing/window-file';
import { type ClaimedJob, JobLostError } from './claimed-job';
import { optionsOfJob } from './job-options';
import { jobBlobKeys } from './job-record';
import { JobProgress } from './job-progress';

/** Engine faults worth a second try of the same window; anything else (bad audio, cancel) is final. */
const RETRYABLE_WINDOW_CODES = new Set(['ENGINE_FAILED', 'ENGINE_TIMEOUT', 'ENGINE_BUSY', 'MODEL_UNAVAILABLE']);
/** Progress writes while a window runs: often enough for a live bar, rare enough for the store. */
const PROGRESS_WRITE_MS = 1000;

interface WindowContext {
  readonly job: ClaimedJob;
  readonly audio: NormalizedAudio;
  readonly plan: WindowPlan;
  readonly progress: JobProgress;
  readonly workspace: TempWorkspace;
  readonly options: TranscribeOptions;
  readonly signal: AbortSignal;
  /** With VAD on: its settings and the whole recording's speech regions (found once, before the windows). */
  readonly speech?: { readonly settings: EnabledVad; readonly regions: readonly SpeechRegion[] };
}

/**
 * Runs one claimed job to its transcript through the same pipeline stages as a sync request: fetch the upload,
 * decode it once (PrepareStage), find its speech once (VAD), cut it at pauses into windows, send each window's
 * speech through the same dispatcher and deadline (VadStage, DispatchStage), store each window's result as it finishes — so a retry or a take-over after a
 * crash redoes only missing windows — then merge them with exact offsets and tidy them (merge-windows.ts).
 */
@Injectable()
export class JobRunner {
  private readonly logger = new Logger('JobRunner');

  constructor(
    private readonly prepare: PrepareStage,
    private readonly dispatch: DispatchStage,
    private readonly diarize: DiarizeStage,
    private readonly vad: VadStage,
    private readonly blobs: BlobStore,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly fairYield: FairYield,
  ) {}

  /** Resolves with the merged transcript, already stored under jobs/<id>/result.json. */
  async run(job: ClaimedJob, signal: AbortSignal): Promise<TranscriptionResult> {
    const workspace = await TempWorkspace.create(this.config.upload.tmpDir);
    try {
      const upload = workspace.file('upload');
      await this.blobs.getToFile(jobBlobKeys.audio(job.id), upload).catch((error: unknown) => {
        throw error instanceof BlobNotFoundError
          ? new DomainError('INTERNAL_ERROR', 'The uploaded audio of this job is no longer stored.')
          : error;
      });
      // The format was decided by content when the job was created (a record without one is sniffed here): one sniff per upload.
      const audio = await this.prepare.run({
        inputPath: upload,
        format: job.record.audio.format ?? (await requireAudioFormat(upload)),
        outputPath: workspace.file('audio.f32'),
        maxSeconds: this.config.jobs.maxAudioSeconds,
        signal,
        background: true,
      });
      await rm(upload, { force: true });
      const options = optionsOfJob(job.record.options);
      // VAD runs once over the whole recording: windows are cut at its pauses and each gets its share of the regions.
      const settings = this.vad.settingsFor(options.vad);
      const speech = settings && { settings, regions: await this.vad.regionsOf(audio, settings, signal) };
      const plan = await planWindows(audio.path, {
        windowSeconds: this.config.jobs.windowSeconds,
        sampleRate: audio.sampleRate,
        ...(speech ? { speechRegions: speech.regions } : {}),
      });
      // Speakers are found once over the whole recording after the merge (labels agree across windows), never per window.
      const speakers = await this.diarize.plan(options, signal, true);
      const context: WindowContext = {
        job,
        audio,
        plan,
        progress: new JobProgress(audio.durationSeconds),
        workspace,
        options: speakers.engineOptions,
        signal,
        ...(speech ? { speech } : {}),
      };
      const pending = await this.startAttempt(context);
      for (const [index, window] of pending.entries()) {
        await this.transcribeWindow(context, window);
        if (index < pending.length - 1) await this.yieldIfAnotherKeyWaits(job);
      }
      const merged = mergeWindowResults(await this.loadWindowResults(context), audio.durationSeconds, context.options.wordTimestamps);
      const speechRegions = speech && regionsInSeconds(speech.regions, audio.sampleRate);
      // Without VAD's regions: see transcription-pipeline.ts (the stage's own speech finding is what was measured).
      const diarized = await this.diarize.run(speakers, { audio, result: merged, signal, background: true });
      const result = withWarnings(judgeResult(diarized, options, this.config.quality, speechRegions), audio.warnings);
      await this.blobs.putBytes(jobBlobKeys.result(job.id), JSON.stringify(result));
      return result;
    } finally {
      await workspace.dispose();
    }
  }

  /**
   * Between two windows: throws YieldedTurn when another key should have this worker (fair-share/fair-yield.ts). A
   * store hiccup here is not worth failing the job for: it keeps going and asks again after the next window.
   */
  private async yieldIfAnotherKeyWaits(job: ClaimedJob): Promise<void> {
    const to = await this.fairYield.yieldTo(job.record).catch(() => null);
    if (to !== null) throw new YieldedTurn(to);
  }

  /** Counts the windows an earlier attempt already finished and records the plan; returns the rest. */
  private async startAttempt({ job, audio, plan, progress }: WindowContext): Promise<AudioWindow[]> {
    const stored = new Set(await this.blobs.list(jobBlobKeys.windowsFolder(job.id)));
    const pending: AudioWindow[] = [];
    for (const window of plan.windows) {
      if (stored.has(jobBlobKeys.window(job.id, window.index, plan.fingerprint))) progress.windowDone(window, true);
      else pending.push(window);
    }
    const done = plan.windows.length - pending.length;
    this.logger.log({
      msg: 'job started',
      job_id: job.id,
      attempt: job.record.attempts,
      audio_seconds: Math.round(audio.durationSeconds),
      windows: plan.windows.length,
      reused_windows: done,
      // Where the silence splitter cut, in seconds: for following a job through the logs.
      cuts: plan.windows.slice(1).map((window) => Math.round(window.startSeconds * 1000) / 1000),
    });
    await job.update((record) => ({
      audio: { ...record.audio, durationSeconds: audio.durationSeconds },
      windows: { total: plan.windows.length, done },
      ...progress.snapshot(),
    }));
    return pending;
  }

  /** One window, retried alone on engine faults (WINDOW_RETRIES), its result stored as soon as it is known. */
  private async transcribeWindow(context: WindowContext, window: AudioWindow): Promise<void> {
    const { job, plan, progress, signal } = context;
    for (let attempt = 0; ; attempt += 1) {
      const path = context.workspace.file(`window-${window.index}.f32`);
      try {
        const windowAudio = await writeWindowFile(context.audio, window, path, signal);
        let lastWrite = Date.now();
        const onProgress = (fraction: number) => {
          if (Date.now() - lastWrite < PROGRESS_WRITE_MS) return;
          lastWrite = Date.now();
          // Not awaited: a lost job is noticed by the pool's lease check, which aborts `signal`.
          job.update(() => progress.snapshot(window, fraction), 'job.progress').catch(() => undefined);
        };
        const call = { audio: windowAudio, options: context.options, signal, background: true, onProgress };
        const raw = context.speech
          ? await this.vad.transcribeSpeech({
              ...call,
              settings: context.speech.settings,
              regions: regionsInWindow(context.speech.regions, window.startSample, window.endSample),
            })
          : await this.dispatch.run(call);
        await this.blobs.putBytes(jobBlobKeys.window(job.id, window.index, plan.fingerprint), JSON.stringify(raw));
        this.metrics.jobWindows.inc({ outcome: 'ok' });
        progress.windowDone(window, false);
        this.logger.log({ msg: 'window done', job_id: job.id, window: window.index, of: plan.windows.length });
        await job.update((record) => ({ windows: { total: plan.windows.length, done: record.windows.done + 1 }, ...progress.snapshot() }), 'job.progress');
        return;
      } catch (error) {
        const code = isDomainError(error) ? error.code : 'INTERNAL_ERROR';
        this.metrics.jobWindows.inc({ outcome: signal.aborted ? 'CANCELLED' : code });
        if (signal.aborted) throw signal.reason ?? error;
        if (error instanceof JobLostError || !RETRYABLE_WINDOW_CODES.has(code) || attempt >= this.config.jobs.windowRetries) throw error;
        this.logger.warn({ msg: 'window failed; retrying it alone', job_id: job.id, window: window.index, code, try: attempt + 1 });
      } finally {
        await rm(path, { force: true });
      }
    }
  }

  /** Each window's stored engine result, its times fitted to the window's speech (pipeline/speech-edges) when VAD ran. */
  private async loadWindowResults({ job, plan, audio, speech }: WindowContext): Promise<WindowResult[]> {
    const parts: WindowResult[] = [];
    for (const window of plan.windows) {
      const bytes = await this.blobs.getBytes(jobBlobKeys.window(job.id, window.index, plan.fingerprint));
      const raw = JSON.parse(bytes.toString('utf8')) as TranscriptionResult;
      const result = speech
        ? fitToSpeech(raw, regionsInSeconds(regionsInWindow(speech.regions, window.startSample, window.endSample), audio.sampleRate), speechEdgesOf(speech.settings))
        : raw;
      parts.push({ window, result });
    }
    return parts;
  }
}
