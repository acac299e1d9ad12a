import { filePart, postMultipart } from './multipart';

/** One /v1/audio/transcriptions call naming `model` (English, greedy, json); its text, or an error with the body. */
export async function transcribeAs(apiUrl: string, model: string, wav: string): Promise<string> {
  const response = await postMultipart(`${apiUrl}/v1/audio/transcriptions`, [
    filePart(wav, 'speech.wav', 'audio/wav'),
    { name: 'model', value: model },
    { name: 'language', value: 'en' },
    { name: 'response_format', value: 'json' },
    { name: 'temperature', value: '0' },
  ]);
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${model}: ${response.status} ${body}`);
  return (JSON.parse(body) as { text: string }).text;
}
