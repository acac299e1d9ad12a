export * from './lib/whisper-model-format';
export * from './lib/generate-whisper-model';
export * from './lib/seeded-random';
export * from './lib/speech-fixtures';
export * from './lib/workspace';
export * from './lib/free-port';
