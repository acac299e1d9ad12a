import { EngineDispatcher } from './engine-dispatcher';

/**
 * Bounds speaker work per process like the engine's dispatcher bounds transcriptions (DIARIZATION_CONCURRENCY run,
 * DIARIZATION_QUEUE_SIZE sync requests wait, the rest get 503 ENGINE_BUSY with Retry-After; job work always waits).
 * Its own class, so it is its own DI token beside the engine's dispatcher.
 */
export class DiarizationQueue extends EngineDispatcher {}
