import { locateFfmpeg } from '../../src/audio/ffmpeg-locator';
import { loadConfig, type SageMakerSection } from '../../src/config/app-config';
import { createSageMakerClients } from '../../src/engines/sagemaker/sagemaker-clients';
import { SageMakerEngine } from '../../src/engines/sagemaker/sagemaker.engine';
import { type LocalS3, startLocalS3, TEST_CREDENTIALS, TEST_REGION } from './local-s3';
import { type ModelServerProcess, startModelServer } from './model-server-process';
import { type SageMakerStandIn, type SageMakerStandInOptions, startSageMakerStandIn } from './sagemaker-stand-in';

export const REALTIME_ENDPOINT = 'whisper-realtime';
export const ASYNC_ENDPOINT = 'whisper-async';
export const ASYNC_BUCKET = 'speech-async';
export const ASYNC_PREFIX = 'sagemaker-async';

/** The real Python model container, s3rver and the SageMaker runtime stand-in, wired the way AWS wires them. */
export interface SageMakerRig {
  readonly modelServer: ModelServerProcess;
  readonly s3: LocalS3;
  readonly standIn: SageMakerStandIn;
  /** The engine's config section, built by the real config loader from the variables an operator would set. */
  section(mode: SageMakerSection['mode'], env?: Record<string, string>): SageMakerSection;
  /** The same variables, for the built API as a process. */
  env(mode: SageMakerSection['mode'], env?: Record<string, string>): Record<string, string>;
  engine(section: SageMakerSection): SageMakerEngine;
  /** One more stand-in on the same container and S3 (e.g. with a short real-time cut). */
  extraStandIn(options?: Partial<SageMakerStandInOptions>): Promise<SageMakerStandIn>;
  stop(): Promise<void>;
}

export async function startSageMakerRig(modelServerEnv: Record<string, string> = {}): Promise<SageMakerRig> {
  const [modelServer, s3] = await Promise.all([startModelServer(modelServerEnv), startLocalS3([ASYNC_BUCKET])]);
  const standInOptions: SageMakerStandInOptions = {
    modelServerUrl: modelServer.url,
    region: TEST_REGION,
    s3: s3.client(),
    endpoints: {
      [REALTIME_ENDPOINT]: { kind: 'realtime' },
      [ASYNC_ENDPOINT]: {
        kind: 'async',
        outputPath: `s3://${ASYNC_BUCKET}/${ASYNC_PREFIX}/output`,
        failurePath: `s3://${ASYNC_BUCKET}/${ASYNC_PREFIX}/failure`,
      },
    },
  };
  const standIn = await startSageMakerStandIn(standInOptions);
  const extras: SageMakerStandIn[] = [];

  const env = (mode: SageMakerSection['mode'], extra: Record<string, string> = {}): Record<string, string> => ({
    ENGINE: 'sagemaker',
    AWS_REGION: TEST_REGION,
    SAGEMAKER_MODE: mode,
    SAGEMAKER_ENDPOINT_NAME: mode === 'async' ? ASYNC_ENDPOINT : REALTIME_ENDPOINT,
    ...(mode === 'realtime' ? {} : { SAGEMAKER_ASYNC_BUCKET: ASYNC_BUCKET, SAGEMAKER_ASYNC_PREFIX: ASYNC_PREFIX }),
    ...(mode === 'auto' ? { SAGEMAKER_ASYNC_ENDPOINT_NAME: ASYNC_ENDPOINT } : {}),
    AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: standIn.url,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    ...extra,
  });

  return {
    modelServer,
    s3,
    standIn,
    env,
    section: (mode, extra) => {
      const engine = loadConfig(env(mode, extra)).engine;
      if (engine.kind !== 'sagemaker') throw new Error('expected the sagemaker section');
      return engine.sagemaker;
    },
    engine: (section) => new SageMakerEngine(section, { concurrency: 1, ffmpegPath: locateFfmpeg().path }, createSageMakerClients(section, TEST_CREDENTIALS)),
    extraStandIn: async (options = {}) => {
      const extra = await startSageMakerStandIn({ ...standInOptions, ...options });
      extras.push(extra);
      return extra;
    },
    stop: async () => {
      await Promise.all([standIn, ...extras].map((server) => server.stop()));
      await Promise.all([modelServer.stop(), s3.stop()]);
    },
  };
}
