export * from './lib/error-codes';
export * from './lib/problem';
export * from './lib/transcription-result';
export * from './lib/transcription-options';
export * from './lib/languages';
export * from './lib/jobs';
export * from './lib/api-keys';
