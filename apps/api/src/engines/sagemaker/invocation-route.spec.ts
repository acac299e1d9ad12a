import { DomainError } from '../../common/domain-error';
import { chooseRoute, REALTIME_PAYLOAD_LIMIT } from './invocation-route';

const asyncRoute = { endpointName: 'whisper-async', bucket: 'b', prefix: 'p', invocationTimeoutSeconds: 3600 };

describe('chooseRoute', () => {
  it('auto: real-time up to and including 6 MiB, async above', () => {
    const auto = { mode: 'auto', realtimeEndpoint: 'whisper', async: asyncRoute } as const;
    expect(chooseRoute(auto, REALTIME_PAYLOAD_LIMIT)).toBe('realtime');
    expect(chooseRoute(auto, REALTIME_PAYLOAD_LIMIT + 1)).toBe('async');
  });

  it('async mode always goes through S3', () => {
    expect(chooseRoute({ mode: 'async', async: asyncRoute }, 10)).toBe('async');
  });

  it('says why a large payload cannot go anywhere', () => {
    const realtimeOnly = () => chooseRoute({ mode: 'realtime', realtimeEndpoint: 'whisper' }, 9 * 1024 * 1024);
    expect(realtimeOnly).toThrow(DomainError);
    expect(realtimeOnly).toThrow("The audio is 9.0 MiB as FLAC, above SageMaker's 6 MiB real-time limit, and SAGEMAKER_MODE=realtime has no async route.");
    expect(() => chooseRoute({ mode: 'auto', realtimeEndpoint: 'whisper' }, 7 * 1024 * 1024)).toThrow(/set SAGEMAKER_ASYNC_BUCKET and SAGEMAKER_ASYNC_ENDPOINT_NAME/);
    try {
      realtimeOnly();
    } catch (error) {
      expect(error).toMatchObject({ code: 'FILE_TOO_LARGE', details: { payload_bytes: 9 * 1024 * 1024, realtime_limit_bytes: REALTIME_PAYLOAD_LIMIT } });
    }
    expect(() => chooseRoute({ mode: 'async', async: asyncRoute }, 2_000_000_000)).toThrow(/1 GB async limit/);
  });
});
