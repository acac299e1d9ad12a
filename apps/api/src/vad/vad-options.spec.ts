import { AUTO_VAD, parseVadOptions } from './vad-options';

const serverVad = (over: Record<string, number>) => ({
  enabled: true,
  strategy: 'server_vad',
  regions: expect.objectContaining({ threshold: 0.5, speechPadMs: 300, minSilenceMs: 200, maxSpeechSeconds: 30, ...over }),
  maxChunkSeconds: 30,
});

describe('parseVadOptions', () => {
  it.each([
    ['nothing sent: on, auto', {}, AUTO_VAD],
    ['chunking_strategy=auto', { chunking_strategy: 'auto' }, AUTO_VAD],
    ['vad=true', { vad: 'true' }, AUTO_VAD],
    ['vad=false', { vad: 'false' }, { enabled: false }],
    ['vad=0 (form boolean)', { vad: '0' }, { enabled: false }],
    ['vad: false (JSON boolean)', { vad: false }, { enabled: false }],
    ['server_vad as a JSON string, defaults filled in', { chunking_strategy: '{"type":"server_vad"}' }, serverVad({})],
    [
      'server_vad as a JSON string with every field',
      { chunking_strategy: '{"type":"server_vad","threshold":0.7,"prefix_padding_ms":100,"silence_duration_ms":800}' },
      serverVad({ threshold: 0.7, speechPadMs: 100, minSilenceMs: 800 }),
    ],
    ['server_vad as an object (JSON body)', { chunking_strategy: { type: 'server_vad', threshold: 0.3 } }, serverVad({ threshold: 0.3 })],
    [
      'server_vad flattened by the OpenAI SDKs into a multipart form',
      { 'chunking_strategy[type]': 'server_vad', 'chunking_strategy[prefix_padding_ms]': '50', 'chunking_strategy[silence_duration_ms]': '1000' },
      serverVad({ speechPadMs: 50, minSilenceMs: 1000 }),
    ],
    ['vad=true with server_vad', { vad: 'true', chunking_strategy: '{"type":"server_vad","threshold":0.2}' }, serverVad({ threshold: 0.2 })],
  ])('%s', (_name, fields, expected) => {
    expect(parseVadOptions(fields)).toEqual(expected);
  });

  it.each([
    ['vad=maybe', { vad: 'maybe' }, 'vad'],
    ['vad as a number', { vad: 2 }, 'vad'],
    ['vad=false with a chunking_strategy', { vad: 'false', chunking_strategy: 'auto' }, 'vad'],
    ['an unknown strategy word', { chunking_strategy: 'fast' }, 'chunking_strategy'],
    ['broken JSON', { chunking_strategy: '{"type":' }, 'chunking_strategy'],
    ['a JSON array', { chunking_strategy: '[1]' }, 'chunking_strategy'],
    ['a huge JSON string', { chunking_strategy: `{"type":"server_vad","x":"${'a'.repeat(2000)}"}` }, 'chunking_strategy'],
    ['sent twice', { chunking_strategy: ['auto', 'auto'] }, 'chunking_strategy'],
    ['whole and flattened at once', { chunking_strategy: 'auto', 'chunking_strategy[type]': 'server_vad' }, 'chunking_strategy'],
    ['another type', { chunking_strategy: '{"type":"semantic_vad"}' }, 'chunking_strategy.type'],
    ['no type', { chunking_strategy: '{"threshold":0.5}' }, 'chunking_strategy.type'],
    ['an unknown field', { chunking_strategy: '{"type":"server_vad","eagerness":"low"}' }, 'chunking_strategy.eagerness'],
    ['threshold above 1', { chunking_strategy: '{"type":"server_vad","threshold":1.5}' }, 'chunking_strategy.threshold'],
    ['threshold not a number', { 'chunking_strategy[type]': 'server_vad', 'chunking_strategy[threshold]': 'high' }, 'chunking_strategy.threshold'],
    ['negative padding', { chunking_strategy: '{"type":"server_vad","prefix_padding_ms":-1}' }, 'chunking_strategy.prefix_padding_ms'],
    ['fractional silence', { chunking_strategy: '{"type":"server_vad","silence_duration_ms":2.5}' }, 'chunking_strategy.silence_duration_ms'],
    ['silence too long', { chunking_strategy: '{"type":"server_vad","silence_duration_ms":10001}' }, 'chunking_strategy.silence_duration_ms'],
    ['padding as a boolean', { chunking_strategy: { type: 'server_vad', prefix_padding_ms: true } }, 'chunking_strategy.prefix_padding_ms'],
  ])('refuses %s with INVALID_OPTION naming %s', (_name, fields, param) => {
    let thrown: unknown;
    try {
      parseVadOptions(fields);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'INVALID_OPTION', status: 400, details: { param } });
    expect((thrown as Error).message.length).toBeLessThan(200);
  });
});
