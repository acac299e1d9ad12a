import { writeFile } from 'node:fs/promises';
import { DomainError, isDomainError } from '../common/domain-error';
import { TempWorkspace } from '../common/temp-workspace';
import type { KnownSpeakerReference } from '../diarization/diarization-options';
import { pcmFileSource } from '../diarization/sample-source';
import { requireAudioFormat } from './audio-format';
import type { PrepareStage } from './prepare.stage';

/** OpenAI takes 2–10 s clips; a little slack above 10 s, because encoders pad. Under a second there is no voice to learn. */
export const MAX_REFERENCE_SECONDS = 12;
export const MIN_REFERENCE_SECONDS = 1;

export interface ReferenceClip {
  readonly name: string;
  /** 16 kHz mono. */
  readonly samples: Float32Array;
}

/**
 * Known speakers' reference clips (data URLs of any accepted audio format) decoded like any upload: sniffed by
 * content, decoded once by the prepare stage to 16 kHz mono, bounded in length. A clip that is not usable audio is
 * the caller's mistake about `known_speaker_references`: 400 INVALID_OPTION naming that field.
 */
export async function decodeReferenceClips(
  references: readonly KnownSpeakerReference[],
  prepare: PrepareStage,
  tmpDir: string,
  signal: AbortSignal,
): Promise<ReferenceClip[]> {
  if (references.length === 0) return [];
  const workspace = await TempWorkspace.create(tmpDir);
  try {
    const clips: ReferenceClip[] = [];
    for (const [index, reference] of references.entries()) {
      const input = workspace.file(`reference-${index}`);
      const output = workspace.file(`reference-${index}.f32`);
      await writeFile(input, reference.audio);
      try {
        const format = await requireAudioFormat(input);
        const audio = await prepare.run({ inputPath: input, format, outputPath: output, maxSeconds: MAX_REFERENCE_SECONDS, signal });
        if (audio.durationSeconds < MIN_REFERENCE_SECONDS) throw new DomainError('INVALID_OPTION', `it lasts ${audio.durationSeconds.toFixed(1)} s.`);
        const decoded = await pcmFileSource(output);
        clips.push({ name: reference.name, samples: await decoded.read(0, decoded.length).finally(() => decoded.close()) });
      } catch (error) {
        if (signal.aborted || !isDomainError(error) || error.code === 'DECODE_BUSY') throw error;
        throw new DomainError(
          'INVALID_OPTION',
          `The reference clip for "${reference.name}" is not usable: ${error.message.replace(/\.$/, '')}. Send ${MIN_REFERENCE_SECONDS}–10 s of audio (wav, mp3, m4a, flac, ogg or webm) as a data URL.`,
          { param: 'known_speaker_references' },
        );
      }
    }
    return clips;
  } finally {
    await workspace.dispose();
  }
}
