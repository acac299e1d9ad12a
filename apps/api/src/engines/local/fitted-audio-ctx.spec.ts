import { fittedAudioCtx } from './fitted-audio-ctx';

describe('fittedAudioCtx', () => {
  it('covers the audio and a second after it, in steps of 256 frames (the steps bench/realtime-fit-window.ts measured)', () => {
    expect(fittedAudioCtx(7)).toBe(512); // 400 frames
    expect(fittedAudioCtx(9.2)).toBe(512); // 510 frames
    expect(fittedAudioCtx(9.3)).toBe(768); // 515 frames
    expect(fittedAudioCtx(20)).toBe(1280); // 1050 frames
  });

  it('never asks for less than 384 frames, where tiny.en starts to loop (512 after rounding)', () => {
    expect(fittedAudioCtx(0.5)).toBe(512);
    expect(fittedAudioCtx(5.2)).toBe(512); // 310 frames
  });

  it('covers at least the floor asked for (short realtime turns)', () => {
    expect(fittedAudioCtx(0.8, 20.48)).toBe(1024);
    expect(fittedAudioCtx(1.9, 20.48)).toBe(1024);
    expect(fittedAudioCtx(22, 20.48)).toBe(1280); // the audio plus a second is wider than the floor
    expect(fittedAudioCtx(0.8, 40)).toBe(1500);
  });

  it('never asks for more than the full 30 s window', () => {
    expect(fittedAudioCtx(24.5)).toBe(1280); // 1275 frames
    expect(fittedAudioCtx(25)).toBe(1500); // 1300 frames: past 1280, the full window
    expect(fittedAudioCtx(28.5)).toBe(1500);
    expect(fittedAudioCtx(120)).toBe(1500);
  });
});
