import { ACCEPTED_AUDIO_FORMATS, type AudioFormat } from '@speech/contracts';
import { sniffAudioFile } from '../audio/format-sniffer';
import { DomainError } from '../common/domain-error';

/**
 * The upload's format, decided by its content, or 415 UNSUPPORTED_MEDIA. Called once per upload, before the
 * pipeline (sync) or the job record (async); the prepare stage and the job runner take the format it decided.
 */
export async function requireAudioFormat(path: string): Promise<AudioFormat> {
  const format = await sniffAudioFile(path);
  if (format) return format;
  throw new DomainError(
    'UNSUPPORTED_MEDIA',
    `The file is not in a supported audio format. Accepted: ${ACCEPTED_AUDIO_FORMATS.join(', ')} (decided by the file's content, not its name).`,
    { accepted: ACCEPTED_AUDIO_FORMATS },
  );
}
