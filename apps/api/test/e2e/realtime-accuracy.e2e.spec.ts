import { evalSet, firstSeconds, realModel, realModels, scoreTranscripts, type EvalItem } from '@speech/test-support';
import { type ApiProcess, startApi } from './support/api-process';
import { transcribeSync } from './support/real-speech';
import { bytesPerSecond, RealtimeTestClient, realtimeAudio } from './support/realtime-client';

const TRANSCRIPT = 'conversation.item.input_audio_transcription';
/**
 * The settings streamed, and how far above the file transcription their final text may score: both are held to the
 * issue's "Done when", 2 WER points. The default fits the encoder to the turn (turns from 2 s to their length, shorter
 * ones to 25.6 s, partials too); full windows everywhere is the accurate, slower setting. (While whisper.cpp attended
 * unmasked padding rows, the fitted setting streamed 5.39 % against the file's 2.99 % in a fresh-clone CI: the file's
 * text depended on which fitted decodes the worker ran before it. apps/api/native/whisper-patches masks them.)
 */
const SETTINGS = [
  { name: 'fitted windows (default)', env: {}, maxWerPointsAboveFile: 2 },
  { name: 'full windows (REALTIME_FIT_FINAL_MAX_SECONDS=0, REALTIME_FIT_PARTIALS=false)', env: { REALTIME_FIT_FINAL_MAX_SECONDS: '0', REALTIME_FIT_PARTIALS: 'false' }, maxWerPointsAboveFile: 2 },
];
/** Silence between two clips in the stream (server VAD ends the last turn of a clip there). */
const GAP_SECONDS = 1;
/**
 * Twice real-time pace: server VAD cuts turns on the audio's own clock and a turn's final decodes the whole turn
 * whatever the pace (finals are never dropped; only partials yield), so the finals are those of a real-time stream;
 * this keeps the test near one minute of wall time. (Checked: 1x and 2x gave the same finals on these clips.)
 */
const SPEED = 2;
const SERVER_VAD = { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500 };

/**
 * Accuracy of streaming vs files, with real tiny.en weights and the real Silero VAD: over a minute of real speech
 * (the eval set's first Asterisk concatenations, 74 s, 17 prompts with pauses), streamed through one realtime session
 * as a microphone would, the final texts of the turns are scored against the references, and so is the file
 * transcription (POST /transcribe) of each same clip.
 */
describe.each(SETTINGS)('realtime accuracy, $name: streamed finals vs the file transcription of the same audio (tiny.en, real speech)', ({ env, maxWerPointsAboveFile }) => {
  let api: ApiProcess;
  let clips: EvalItem[];

  beforeAll(async () => {
    // No skip: without real weights or the evaluation set this must fail, loudly.
    const model = realModel(realModels(), 'tiny.en', 'ggml');
    clips = firstSeconds(evalSet('en').sets.concat, 60);
    // Greedy decoding on both sides: a warmer retry samples from the worker's one random generator, so its text
    // depends on every decode before it. With the fallback on, the file transcription of the same clips scored 2.99 %
    // in one run and 4.19 % in the next (CI, Dec 4: "Agent logged off" vs "Agent Logdov"), and the bound compared noise.
    api = await startApi({ WHISPER_MODEL: model, WHISPER_THREADS: '2', JOB_WORKERS: '0', TEMPERATURE_FALLBACK: 'false', REALTIME_TEMPERATURE_FALLBACK: 'false', ...env });
  }, 240_000);

  afterAll(async () => api?.stop());

  it('keeps the streamed final text within its bound of the file transcription over ≥ 60 s of speech', async () => {
    const seconds = clips.reduce((sum, clip) => sum + clip.duration, 0);
    expect(seconds).toBeGreaterThanOrEqual(60);
    const gap = Buffer.alloc(Math.round(GAP_SECONDS * bytesPerSecond('pcm16')));
    const audio = Buffer.concat(clips.flatMap((clip) => [realtimeAudio(clip.audio, 'pcm16'), gap]));

    const t0 = performance.now();
    const streamed = await streamTurns(`${api.url.replace('http', 'ws')}/v1/realtime?intent=transcription`, audio);
    const t1 = performance.now();
    const files: string[] = [];
    for (const clip of clips) files.push((await transcribeSync(api.url, clip.audio, 'en')).text);
    const t2 = performance.now();

    const reference = clips.map((clip) => clip.reference).join(' ');
    const scores = scoreTranscripts('en', [
      { key: 'streamed', reference, hypothesis: streamed.join(' ') },
      { key: 'file', reference, hypothesis: files.join(' ') },
    ]);
    const [stream, file] = [scores['streamed'], scores['file']];
    console.log(
      [
        `${clips.length} clips, ${seconds.toFixed(1)} s, ${file?.ref} reference words, ${streamed.length} turns at ${SPEED}x real time`,
        `wall time: streaming ${((t1 - t0) / 1000).toFixed(1)} s, files ${((t2 - t1) / 1000).toFixed(1)} s, scoring ${((performance.now() - t2) / 1000).toFixed(1)} s`,
        `streamed: WER ${stream?.wer.toFixed(2)} % (${JSON.stringify(stream)})`,
        `file:     WER ${file?.wer.toFixed(2)} % (${JSON.stringify(file)})`,
        `streamed text: ${streamed.join(' | ')}`,
        `file text:     ${files.join(' | ')}`,
      ].join('\n'),
    );
    expect(file?.ref).toBeGreaterThan(100);
    expect(stream?.wer).toBeLessThanOrEqual((file?.wer ?? 0) + maxWerPointsAboveFile);
  }, 240_000);
});

/** One session, server VAD, English: streams `audio` (PCM16 24 kHz) and returns each turn's final text, in order. */
async function streamTurns(wsUrl: string, audio: Buffer): Promise<string[]> {
  const client = await RealtimeTestClient.open(wsUrl);
  try {
    client.send({ type: 'session.update', session: { type: 'transcription', audio: { input: { transcription: { model: 'whisper-1', language: 'en' }, turn_detection: SERVER_VAD } } } });
    await client.stream(audio, bytesPerSecond('pcm16'), { chunkMs: 100, speed: SPEED });
    await client.waitFor((events) => {
      const opened = events.filter((r) => r.event.type === 'input_audio_buffer.speech_started').length;
      const ended = events.filter((r) => r.event.type === `${TRANSCRIPT}.completed` || r.event.type === `${TRANSCRIPT}.failed`).length;
      return opened > 0 && ended === opened;
    }, 120_000);
    expect(client.problems).toEqual([]);
    expect(client.events(`${TRANSCRIPT}.failed`)).toEqual([]);
    // In the order the turns were spoken (speech_started), whatever order their finals came in.
    const completed = client.events(`${TRANSCRIPT}.completed`);
    return client.events('input_audio_buffer.speech_started').map((start) => String(completed.find((event) => event['item_id'] === start['item_id'])?.['transcript']));
  } finally {
    await client.close();
  }
}
