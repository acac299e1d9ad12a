"""The peer: faster-whisper on the original CTranslate2 weights, over a list of WAV files.

    $SPEECH_PYTHON bench/accuracy/run_faster_whisper.py --model DIR --threads 2 --beam 1 [--language en] < files.txt

stdin: one WAV path per line. stdout: one JSON object per file, {audio, text, words: [{word, start, end}],
seconds}, `seconds` being the wall time of that file's transcription with the model already loaded.
Decoding matches what our API asks of whisper.cpp: temperature 0 with whisper's fallback ladder off, no
conditioning on previous text, no VAD filter, word timestamps on.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from faster_whisper import WhisperModel


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True, help="folder with model.bin, config.json, tokenizer.json")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--beam", type=int, default=1, help="1 = greedy")
    parser.add_argument("--language", default=None)
    args = parser.parse_args()
    model = WhisperModel(args.model, device="cpu", compute_type="float32", cpu_threads=args.threads, num_workers=1)
    for line in sys.stdin:
        audio = line.strip()
        if not audio:
            continue
        started = time.perf_counter()
        segments, info = model.transcribe(
            audio,
            language=args.language,
            beam_size=args.beam,
            best_of=1,
            temperature=0.0,
            condition_on_previous_text=False,
            word_timestamps=True,
            vad_filter=False,
        )
        segments = list(segments)  # decoding is lazy: the time is spent here
        seconds = time.perf_counter() - started
        words = [{"word": w.word, "start": w.start, "end": w.end} for s in segments for w in (s.words or [])]
        text = "".join(s.text for s in segments).strip()
        print(json.dumps({"audio": audio, "text": text, "words": words, "seconds": seconds, "language": info.language}), flush=True)


if __name__ == "__main__":
    main()
