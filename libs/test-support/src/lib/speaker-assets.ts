import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { workspaceRoot } from './workspace';

export interface SpeakerAssets {
  /** The CAM++ speaker encoder exported to ONNX. */
  readonly encoder: string;
  /** pyannote.audio's 30 s two-speaker test recording. */
  readonly sampleWav: string;
  readonly sampleRttm: string;
}

/** Runs `npm run models:speaker` (downloads and exports only what .cache/models-real lacks) and returns its paths. */
export function speakerAssets(): SpeakerAssets {
  const done = spawnSync('npm', ['run', '--silent', 'models:speaker'], {
    cwd: workspaceRoot(),
    encoding: 'utf8',
    timeout: 10 * 60_000,
  });
  if (done.status !== 0) {
    throw new Error(`npm run models:speaker failed (${done.status ?? done.signal}):\n${(done.stderr ?? '').slice(-4000)}`);
  }
  const lines = new Map(done.stdout.split('\n').map((line) => line.split('\t')).filter((f) => f.length === 3).map((f) => [f[0], f[2]]));
  const encoder = lines.get('campplus-3dspeaker');
  const sample = lines.get('pyannote-sample');
  if (!encoder || !sample) throw new Error(`npm run models:speaker printed no encoder/sample line:\n${done.stdout}`);
  return { encoder, sampleWav: path.join(sample, 'sample.wav'), sampleRttm: path.join(sample, 'sample.rttm') };
}
