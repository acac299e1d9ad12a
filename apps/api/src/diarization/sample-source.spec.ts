import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeMono16k, speakerAssets } from '@speech/test-support';
import { energySpeechRegions, energySpeechRegionsOf, splitLongRegions } from './energy-speech-regions';
import { inMemory, pcmFileSource } from './sample-source';

describe('sample sources', () => {
  let dir: string;
  let samples: Float32Array;
  let path: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sample-source-'));
    samples = decodeMono16k(speakerAssets().sampleWav);
    path = join(dir, 'audio.f32');
    writeFileSync(path, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a decoded file reads the same samples by range as the array, clamped at both ends', async () => {
    const file = await pcmFileSource(path);
    try {
      expect(file.length).toBe(samples.length);
      for (const [start, end] of [[0, 10], [12345, 54321], [samples.length - 5, samples.length + 100], [-20, 3]]) {
        expect(Array.from(await file.read(start as number, end as number))).toEqual(Array.from(await inMemory(samples).read(start as number, end as number)));
      }
      expect((await file.read(samples.length, samples.length + 10)).length).toBe(0);
    } finally {
      await file.close();
    }
  });

  it('energy regions read block by block from the file equal those of the whole array', async () => {
    const file = await pcmFileSource(path);
    try {
      expect(await energySpeechRegionsOf(file)).toEqual(energySpeechRegions(samples));
    } finally {
      await file.close();
    }
  });

  it('long regions are cut into equal pieces no longer than the limit; short ones stay', () => {
    const pieces = splitLongRegions([{ start: 1, end: 2 }, { start: 10, end: 160 }], 60);
    expect(pieces[0]).toEqual({ start: 1, end: 2 });
    expect(pieces.slice(1)).toEqual([{ start: 10, end: 60 }, { start: 60, end: 110 }, { start: 110, end: 160 }]);
  });
});
