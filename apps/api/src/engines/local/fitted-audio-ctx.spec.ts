import { fittedAudioCtx } from './fitted-audio-ctx';

describe('fittedAudioCtx', () => {
  it('covers the audio and a second after it, in steps of 64 frames', () => {
    expect(fittedAudioCtx(0.5)).toBe(128); // 75 frames
    expect(fittedAudioCtx(2)).toBe(192); // 150 frames
    expect(fittedAudioCtx(5.2)).toBe(320); // 310 frames
  });

  it('never asks for more than the full 30 s window', () => {
    expect(fittedAudioCtx(28.5)).toBe(1500);
    expect(fittedAudioCtx(120)).toBe(1500);
  });
});
