import { encoderWindowForTurn } from './fit-encoder-rule';

describe('encoderWindowForTurn', () => {
  const rule = { fitPartials: true, fitFinalMinSeconds: 2, fitFinalMaxSeconds: 30, shortFinalWindowSeconds: 25.6 };

  it('fits finals of turns from the minimum to the maximum length to the turn', () => {
    expect(encoderWindowForTurn('final', 2, rule)).toEqual({ fitEncoderToAudio: true });
    expect(encoderWindowForTurn('final', 12, rule)).toEqual({ fitEncoderToAudio: true });
    expect(encoderWindowForTurn('final', 30, rule)).toEqual({ fitEncoderToAudio: true });
    expect(encoderWindowForTurn('final', 30.5, rule)).toEqual({ fitEncoderToAudio: false });
  });

  it('gives shorter turns a fitted window with the short-turn floor, or the full window when the floor is 30 s', () => {
    expect(encoderWindowForTurn('final', 1.99, rule)).toEqual({ fitEncoderToAudio: true, fitEncoderMinSeconds: 25.6 });
    expect(encoderWindowForTurn('final', 0.5, { ...rule, shortFinalWindowSeconds: 30 })).toEqual({ fitEncoderToAudio: false });
  });

  it('drops the short-turn floor while other finals wait for the engine: the turn plus a second', () => {
    expect(encoderWindowForTurn('final', 1.2, rule, { finalsWaiting: 1 })).toEqual({ fitEncoderToAudio: true });
    expect(encoderWindowForTurn('final', 1.2, rule, { finalsWaiting: 0 })).toEqual({ fitEncoderToAudio: true, fitEncoderMinSeconds: 25.6 });
    // Longer turns and partials do not change with the load.
    expect(encoderWindowForTurn('final', 5, rule, { finalsWaiting: 3 })).toEqual({ fitEncoderToAudio: true });
    expect(encoderWindowForTurn('partial', 1.2, rule, { finalsWaiting: 3 })).toEqual({ fitEncoderToAudio: true, fitEncoderLoopRetry: false });
  });

  it('a maximum of 0 turns fitted finals off whatever the minimum and the floor', () => {
    expect(encoderWindowForTurn('final', 5, { ...rule, fitFinalMinSeconds: 0, fitFinalMaxSeconds: 0 })).toEqual({ fitEncoderToAudio: false });
    expect(encoderWindowForTurn('final', 1, { ...rule, fitFinalMaxSeconds: 0 })).toEqual({ fitEncoderToAudio: false });
  });

  it('partials follow their own switch, whatever their length', () => {
    expect(encoderWindowForTurn('partial', 0.6, rule)).toEqual({ fitEncoderToAudio: true, fitEncoderLoopRetry: false });
    expect(encoderWindowForTurn('partial', 6, { ...rule, fitPartials: false })).toEqual({ fitEncoderToAudio: false });
  });
});
