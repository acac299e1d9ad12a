/**
 * Text Whisper is known to write where nobody speaks: credits and sign-offs from the subtitled videos it was trained
 * on. A segment is flagged `known_hallucination` only when its WHOLE text (normalized) is one of these, so real speech
 * that contains "thank you" is never flagged.
 *
 * Sources: openai/whisper discussions #928 and #1606 (lists collected by users), the hallucination lists of
 * faster-whisper / whisperX users, and what our own tiny.en/base runs wrote over noise (bench/vad). Add phrases here
 * with the language they belong to; keep them short and specific.
 */
const PHRASES: Record<string, readonly string[]> = {
  en: [
    'thank you',
    'thank you.',
    'thanks for watching',
    'thank you for watching',
    'thank you so much for watching',
    'thanks for watching and see you next time',
    'please subscribe',
    'please subscribe to my channel',
    'like and subscribe',
    "don't forget to like and subscribe",
    'subtitles by the amara.org community',
    'transcription by castingwords',
    'see you in the next video',
    'see you next time',
    'bye',
    'bye bye',
    'you',
    'music',
    'applause',
  ],
  es: [
    'gracias',
    'gracias por ver',
    'gracias por ver el video',
    'suscríbete',
    'subtítulos realizados por la comunidad de amara.org',
    'subtítulos por la comunidad de amara.org',
  ],
  fr: [
    'merci',
    "merci d'avoir regardé",
    "merci d'avoir regardé cette vidéo",
    'sous-titres réalisés par la communauté d\'amara.org',
    'sous-titrage st\' 501',
    'abonnez-vous',
  ],
  de: [
    'danke',
    'danke fürs zuschauen',
    'vielen dank fürs zuschauen',
    'untertitel im auftrag des zdf für funk, 2017',
    'untertitel der amara.org-community',
    'untertitelung des zdf, 2020',
    'abonniert den kanal',
  ],
};

/** Lower case, no brackets or surrounding punctuation, single spaces: "[Music]" → "music", " Thank you. " → "thank you". */
export function normalizeForHallucinationMatch(text: string): string {
  return text
    .toLowerCase()
    .replace(/[[\]()♪*#]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[\s.,!?¡¿…-]+|[\s.,!?¡¿…-]+$/g, '');
}

const KNOWN = new Set(Object.values(PHRASES).flat().map(normalizeForHallucinationMatch));

/**
 * Whole-segment sound annotations: "[BLANK_AUDIO]" (whisper.cpp), "(wind howling)", "(dramatic music)", "[Music]",
 * "♪♪". Measured with tiny.en over 30 s of pink/brown noise, a tremolo tone and digital silence (no VAD): these are
 * all it wrote. They describe no words, so they are text where nobody speaks.
 */
const SOUND_ANNOTATION = /^(?:\s*(?:\[[^\]]*\]|\([^)]*\)|[♪♫*]+))+\s*$/u;

/** True when the segment's whole text is a phrase or sound annotation Whisper is known to write over silence or noise. */
export function isKnownHallucination(text: string): boolean {
  if (SOUND_ANNOTATION.test(text)) return true;
  const normalized = normalizeForHallucinationMatch(text);
  return normalized.length > 0 && KNOWN.has(normalized);
}
