"""Records a real transcript as a TranscriptionResult JSON (the fixture of the subtitle tests).

    $SPEECH_PYTHON libs/transcript-formats/scripts/record-transcript-fixture.py \
        .cache/models-real/ct2/tiny.en .cache/eval/v1/en/long/long-000.wav \
        libs/transcript-formats/src/testing/long-000.tiny-en.json

tiny.en through faster-whisper (int8, greedy, no VAD, word timestamps), times rounded to milliseconds, words
joined and trimmed as the local engine gives them
(space-delimited). Greedy decoding on CPU is deterministic for a given faster-whisper version.
"""
import json
import sys
import time

from faster_whisper import WhisperModel


def ms(value: float) -> float:
    return round(float(value), 3)


def main() -> None:
    model_dir, audio, out = sys.argv[1:4]
    model = WhisperModel(model_dir, device="cpu", compute_type="int8", cpu_threads=2)
    started = time.time()
    segments, info = model.transcribe(audio, language="en", word_timestamps=True, beam_size=1, vad_filter=False)
    result_segments, all_words = [], []
    for index, segment in enumerate(segments):
        words = []
        for w in segment.words or []:
            # As the local engine does: a piece without a leading space ("-entered" after " re") continues the word.
            if words and not w.word.startswith(" ") and w.word.strip():
                words[-1].update(word=words[-1]["word"] + w.word.strip(), end=ms(w.end), probability=ms(words[-1]["probability"] * w.probability))
            elif w.word.strip():
                words.append({"word": w.word.strip(), "start": ms(w.start), "end": ms(w.end), "probability": ms(w.probability)})
        result_segments.append({
            "id": index, "start": ms(segment.start), "end": ms(segment.end), "text": segment.text,
            "avg_logprob": ms(segment.avg_logprob), "no_speech_prob": ms(segment.no_speech_prob), "words": words,
        })
        all_words.extend(words)
    result = {
        "text": "".join(s["text"] for s in result_segments).strip(), "language": "en", "duration": ms(info.duration),
        "segments": result_segments, "words": all_words,
    }
    with open(out, "w", encoding="utf-8") as file:
        json.dump(result, file, separators=(",", ":"))
    print(f"{len(result_segments)} segments, {len(all_words)} words, {info.duration:.1f} s of audio in {time.time() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
