import { ACCEPTED_AUDIO_FORMATS } from '@speech/contracts';
import { planUpload } from './upload-plan';

describe('planUpload', () => {
  it.each(ACCEPTED_AUDIO_FORMATS)('keeps a job upload (%s) as a file and never decodes it on arrival: the job runner decodes it', (format) => {
    expect(planUpload('job', format)).toEqual({ decodeOnArrival: false, keepFile: true });
  });

  it.each(['wav', 'mp3', 'flac', 'ogg', 'webm'] as const)('decodes a sync %s upload while it arrives and writes no file', (format) => {
    expect(planUpload('sync', format)).toEqual({ decodeOnArrival: true, keepFile: false });
  });

  it('decodes /transcribe uploads on arrival but keeps the file too, since async=true may follow the file part', () => {
    expect(planUpload('sync-or-job', 'wav')).toEqual({ decodeOnArrival: true, keepFile: true });
  });

  it.each(['sync', 'sync-or-job'] as const)('sends m4a (%s) through the file: its index may follow the audio, which a pipe cannot seek back to', (use) => {
    expect(planUpload(use, 'm4a')).toEqual({ decodeOnArrival: false, keepFile: true });
  });

});
