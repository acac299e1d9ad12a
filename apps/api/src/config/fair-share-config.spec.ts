import { ConfigError, loadConfig } from './app-config';

describe('fair-share configuration', () => {
  it('has sane defaults', () => {
    expect(loadConfig({}).fairShare).toEqual({
      sliceSeconds: 120,
      maxQueuedPerKey: 100,
      maxAudioSecondsPerKey: 24 * 3600,
      maxSyncPerKey: 4,
      webhookConcurrency: 16,
      webhookConcurrencyPerTarget: 2,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      JOB_FAIR_SLICE_SECONDS: '0',
      JOB_MAX_QUEUED_PER_KEY: '5',
      JOB_MAX_AUDIO_HOURS_PER_KEY: '8',
      SYNC_MAX_CONCURRENT_PER_KEY: '0',
      WEBHOOK_CONCURRENCY: '4',
      WEBHOOK_CONCURRENCY_PER_TARGET: '9',
    }).fairShare;
    expect(config).toEqual({
      sliceSeconds: 0,
      maxQueuedPerKey: 5,
      maxAudioSecondsPerKey: 8 * 3600,
      maxSyncPerKey: 0,
      webhookConcurrency: 4,
      // Never more per receiver than in all.
      webhookConcurrencyPerTarget: 4,
    });
  });

  it('refuses an audio-hours cap below one job of the longest allowed audio, and nonsense values', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ JOB_MAX_AUDIO_HOURS_PER_KEY: '1', MAX_JOB_AUDIO_SECONDS: '7200' })).toEqual([expect.stringMatching(/^JOB_MAX_AUDIO_HOURS_PER_KEY: must be 0 \(no cap\) or at least MAX_JOB_AUDIO_SECONDS/)]);
    expect(problems({ JOB_MAX_AUDIO_HOURS_PER_KEY: '0', MAX_JOB_AUDIO_SECONDS: '7200' })).toEqual([]);
    expect(problems({ JOB_MAX_QUEUED_PER_KEY: '-1' })).toEqual([expect.stringMatching(/^JOB_MAX_QUEUED_PER_KEY/)]);
    expect(problems({ WEBHOOK_CONCURRENCY: '0' })).toEqual([expect.stringMatching(/^WEBHOOK_CONCURRENCY/)]);
    expect(problems({ SYNC_MAX_CONCURRENT_PER_KEY: 'many' })).toEqual([expect.stringMatching(/^SYNC_MAX_CONCURRENT_PER_KEY/)]);
  });
});
