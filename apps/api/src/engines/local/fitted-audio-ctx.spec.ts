import { fittedAudioCtx } from './fitted-audio-ctx';

describe('fittedAudioCtx', () => {
  it('covers the audio and a second after it, in steps of 64 frames', () => {
    expect(fittedAudioCtx(7)).toBe(448); // 400 frames
    expect(fittedAudioCtx(9.2)).toBe(512); // 510 frames
  });

  it('never asks for less than 384 frames, where tiny.en starts to loop', () => {
    expect(fittedAudioCtx(0.5)).toBe(384);
    expect(fittedAudioCtx(5.2)).toBe(384); // 310 frames
  });

  it('never asks for more than the full 30 s window', () => {
    expect(fittedAudioCtx(28.5)).toBe(1500);
    expect(fittedAudioCtx(120)).toBe(1500);
  });
});
