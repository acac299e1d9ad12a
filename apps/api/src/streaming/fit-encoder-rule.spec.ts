import { fitsEncoderToTurn } from './fit-encoder-rule';

describe('fitsEncoderToTurn', () => {
  const rule = { fitPartials: true, fitFinalMinSeconds: 2, fitFinalMaxSeconds: 30 };

  it('fits finals of turns from the minimum to the maximum length, and gives shorter turns the full window', () => {
    expect(fitsEncoderToTurn('final', 1.99, rule)).toBe(false);
    expect(fitsEncoderToTurn('final', 2, rule)).toBe(true);
    expect(fitsEncoderToTurn('final', 12, rule)).toBe(true);
    expect(fitsEncoderToTurn('final', 30, rule)).toBe(true);
    expect(fitsEncoderToTurn('final', 30.5, rule)).toBe(false);
  });

  it('a maximum of 0 turns fitted finals off whatever the minimum', () => {
    expect(fitsEncoderToTurn('final', 5, { ...rule, fitFinalMinSeconds: 0, fitFinalMaxSeconds: 0 })).toBe(false);
  });

  it('partials follow their own switch, whatever their length', () => {
    expect(fitsEncoderToTurn('partial', 0.6, rule)).toBe(true);
    expect(fitsEncoderToTurn('partial', 6, { ...rule, fitPartials: false })).toBe(false);
  });
});
