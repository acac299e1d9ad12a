"""Builds the speech evaluation set from Debian's Asterisk prompt packages (real human speech, CC-BY-SA).

    $SPEECH_PYTHON bench/accuracy/build_eval_set.py [--languages en,es,fr] [--cache .cache/eval]

Prints the path of one manifest per language (`<cache>/v1/<lang>/manifest.json`). Idempotent: the .debs are
downloaded once (sha256-pinned), every output is written once; a second run only prints the paths.

Per language, 16 kHz mono 16-bit WAVs and a manifest with raw and Whisper-normalized references:
- short:  every usable prompt alone, edge silence trimmed (median ~1.5 s);
- concat: ~30 s clips of consecutive prompts joined by 0.5 s pauses;
- long:   one recording of >= 10 min: prompts in seeded random order separated by pauses drawn uniformly from
          0.3-3.0 s, with the true start and end of every prompt's speech (timestamp truth).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import wave

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from whisper_text import normalize  # noqa: E402

VERSION = "v1"
RATE = 16000
SEED = 12
# Debian bookworm 1.6.1-1. Pinned: a changed package changes the references, so it must change VERSION too.
PACKAGES = {
    "en": {
        "asterisk-core-sounds-en-g722_1.6.1-1_all.deb": "38c5261820b406dcb0ecb37675720da2b0864850690690352ca52707eb623806",
        "asterisk-core-sounds-en_1.6.1-1_all.deb": "973e797d28e37fa6ca3c0a9d6fa717e77cf1268ae916bf09fd3503113cdffa50",
    },
    "es": {
        "asterisk-core-sounds-es-g722_1.6.1-1_all.deb": "e4e3b4281057d3b81b779298fd6be705f57411513955c518eed1bcaabbd615b8",
        "asterisk-core-sounds-es_1.6.1-1_all.deb": "9afdab7f559f036649fb406e625899306ca1004df8ebe39c30bfbd5912d66f74",
    },
    "fr": {
        "asterisk-core-sounds-fr-g722_1.6.1-1_all.deb": "7add61d5e42279ecff1bbdf842a5a946ac3644fac9a0fe44384731aa7270c8e0",
        "asterisk-core-sounds-fr_1.6.1-1_all.deb": "04c82c78c570c43a7136cbc5e2488d0c470b775468dff9fbce4a131b18cf1056",
    },
}
VOICES = {"en": "en_US_f_Allison", "es": "es_MX_f_Allison", "fr": "fr_CA_f_June"}
# The prompts are read aloud: the speaker says these words where the transcript has the key's symbol.
SPOKEN_SYMBOLS = {"en": {"*": " star ", "#": " pound "}}
CONCAT_SECONDS = 30.0
CONCAT_PAUSE = 0.5
LONG_SECONDS = 600.0
PAUSE_RANGE = (0.3, 3.0)
# Onset detection: 10 ms frames louder than the clip's loudest frame - 40 dB count as speech.
FRAME = 160
ONSET_DB = -40.0
EDGE_MARGIN = 0.03


def sha256(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def fetch_packages(language: str, cache: str) -> str:
    """Downloads (apt-get download) and unpacks (dpkg -x) the two packages; returns the unpacked root."""
    debs = os.path.join(cache, "debs")
    root = os.path.join(cache, "unpacked", language)
    os.makedirs(debs, exist_ok=True)
    for name, digest in PACKAGES[language].items():
        path = os.path.join(debs, name)
        if not os.path.exists(path):
            package = name.split("_")[0]
            done = subprocess.run(["apt-get", "download", package], cwd=debs, capture_output=True, text=True)
            if done.returncode != 0 or not os.path.exists(path):
                raise SystemExit(
                    f"could not download {package} ({name}) with apt-get download: {done.stderr.strip()}\n"
                    "Run `apt-get update` first (Debian 12 bookworm main has it)."
                )
        if sha256(path) != digest:
            raise SystemExit(f"{path}: sha256 {sha256(path)} is not the pinned {digest}; delete it and rerun")
        marker = os.path.join(root, f".{name}.unpacked")
        if not os.path.exists(marker):
            os.makedirs(root, exist_ok=True)
            subprocess.run(["dpkg", "-x", path, root], check=True)
            open(marker, "w").close()
    return root


def read_transcripts(root: str, language: str) -> list[tuple[str, str]]:
    """`name: text` lines of core-sounds-<lang>.txt(.gz); comments, bracketed tone notes and silences are dropped."""
    doc = os.path.join(root, "usr/share/doc", f"asterisk-core-sounds-{language}")
    for candidate in (f"core-sounds-{language}.txt.gz", f"core-sounds-{language}.txt"):
        path = os.path.join(doc, candidate)
        if os.path.exists(path):
            opener = gzip.open if path.endswith(".gz") else open
            with opener(path, "rt", encoding="utf-8", errors="replace") as f:
                lines = f.read().splitlines()
            break
    else:
        raise SystemExit(f"no transcript file in {doc}")
    entries = []
    for line in lines:
        match = re.match(r"^([A-Za-z0-9_\-/]+):\s*(.+)$", line.strip())
        if not match or line.startswith(";"):
            continue
        name, text = match.group(1), match.group(2).strip()
        if name.startswith("silence/") or text.startswith("["):
            continue
        entries.append((name, text))
    return entries


def decode_g722(path: str) -> np.ndarray:
    out = subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "g722", "-i", path, "-f", "f32le", "-ac", "1", "-ar", str(RATE), "-"],
        check=True,
        capture_output=True,
    )
    return np.frombuffer(out.stdout, dtype=np.float32)


def speech_bounds(samples: np.ndarray) -> tuple[int, int] | None:
    """First and last 10 ms frame with speech energy (relative to the clip's loudest frame), in samples."""
    frames = len(samples) // FRAME
    if frames == 0:
        return None
    energy = (samples[: frames * FRAME].reshape(frames, FRAME) ** 2).mean(axis=1)
    loud = energy.max()
    if loud <= 1e-10:
        return None
    voiced = np.nonzero(10 * np.log10(energy / loud + 1e-12) > ONSET_DB)[0]
    return int(voiced[0]) * FRAME, int(voiced[-1] + 1) * FRAME


def write_wav(path: str, samples: np.ndarray) -> None:
    pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2")
    tmp = path + ".tmp"
    with wave.open(tmp, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())
    os.replace(tmp, path)  # never leave a half-written WAV that a rerun would take as done


def usable_text(text: str, language: str) -> str | None:
    for symbol, spoken in SPOKEN_SYMBOLS.get(language, {}).items():
        text = text.replace(symbol, spoken)
    if re.search(r"[*#]", text):
        return None  # how the speaker reads a key symbol in this language is not known: leave the prompt out
    text = " ".join(text.split())
    return text if normalize(text, language) else None


def load_utterances(root: str, language: str) -> list[dict]:
    """Every prompt with a transcript and audio: trimmed samples, raw and normalized reference."""
    sounds = os.path.join(root, "usr/share/asterisk/sounds", VOICES[language])
    utterances = []
    for name, text in read_transcripts(root, language):
        path = os.path.join(sounds, name + ".g722")
        reference = usable_text(text, language)
        if reference is None or not os.path.exists(path):
            continue
        samples = decode_g722(path)
        bounds = speech_bounds(samples)
        if bounds is None:
            continue
        margin = int(EDGE_MARGIN * RATE)
        start, end = max(0, bounds[0] - margin), min(len(samples), bounds[1] + margin)
        utterances.append(
            {
                "id": name,
                "samples": samples[start:end],
                # Where speech begins and ends inside the trimmed clip.
                "onset": (bounds[0] - start) / RATE,
                "offset": (bounds[1] - start) / RATE,
                "reference": reference,
            }
        )
    return utterances


def entry(folder: str, set_name: str, item_id: str, samples: np.ndarray, reference: str, language: str, **extra) -> dict:
    path = os.path.join(folder, set_name, item_id.replace("/", "__") + ".wav")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    write_wav(path, samples)
    return {
        "id": item_id,
        "audio": os.path.abspath(path),
        "duration": round(len(samples) / RATE, 3),
        "reference": reference,
        "normalized": normalize(reference, language),
        **extra,
    }


def join_with_pauses(parts: list[dict], pauses: list[float]) -> tuple[np.ndarray, list[dict]]:
    """Concatenates utterances with the given pauses between them; returns audio and each one's true speech span."""
    pieces, spans, cursor = [], [], 0
    for i, utterance in enumerate(parts):
        if i > 0:
            gap = int(round(pauses[i - 1] * RATE))
            pieces.append(np.zeros(gap, dtype=np.float32))
            cursor += gap
        spans.append(
            {
                "id": utterance["id"],
                "start": round(cursor / RATE + utterance["onset"], 3),
                "end": round(cursor / RATE + utterance["offset"], 3),
                "reference": utterance["reference"],
            }
        )
        pieces.append(utterance["samples"])
        cursor += len(utterance["samples"])
    return np.concatenate(pieces), spans


def build_language(language: str, cache: str) -> str:
    folder = os.path.join(cache, VERSION, language)
    manifest_path = os.path.join(folder, "manifest.json")
    if os.path.exists(manifest_path):
        return manifest_path
    utterances = load_utterances(fetch_packages(language, cache), language)
    short = [entry(folder, "short", u["id"], u["samples"], u["reference"], language) for u in utterances]

    concat, group = [], []
    for utterance in utterances + [None]:
        length = sum(len(u["samples"]) for u in group) / RATE + CONCAT_PAUSE * max(0, len(group) - 1)
        if utterance is None or (group and length + len(utterance["samples"]) / RATE > CONCAT_SECONDS):
            if group:
                audio, spans = join_with_pauses(group, [CONCAT_PAUSE] * (len(group) - 1))
                text = " ".join(u["reference"] for u in group)
                concat.append(entry(folder, "concat", f"concat-{len(concat):03d}", audio, text, language, utterances=spans))
            group = []
        if utterance is not None:
            group.append(utterance)

    rng = random.Random(SEED)
    order, total = [], 0.0
    while total < LONG_SECONDS:  # every prompt once per pass, each pass in a new seeded order
        batch = utterances[:]
        rng.shuffle(batch)
        for utterance in batch:
            if total >= LONG_SECONDS:
                break
            order.append(utterance)
            total += len(utterance["samples"]) / RATE + sum(PAUSE_RANGE) / 2
    pauses = [round(rng.uniform(*PAUSE_RANGE), 3) for _ in order[1:]]
    audio, spans = join_with_pauses(order, pauses)
    text = " ".join(u["reference"] for u in order)
    long_form = entry(folder, "long", "long-000", audio, text, language, utterances=spans, pauses=pauses)

    manifest = {
        "version": VERSION,
        "language": language,
        "source": "Debian asterisk-core-sounds 1.6.1 (CC-BY-SA), voice " + VOICES[language],
        "sets": {"short": short, "concat": concat, "long": [long_form]},
    }
    with open(manifest_path + ".tmp", "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
    os.replace(manifest_path + ".tmp", manifest_path)
    return manifest_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--languages", default="en")
    parser.add_argument("--cache", default=os.path.join(os.path.dirname(__file__), "..", "..", ".cache", "eval"))
    args = parser.parse_args()
    for language in args.languages.split(","):
        if language not in PACKAGES:
            raise SystemExit(f"unknown language {language!r}; known: {', '.join(PACKAGES)}")
        print(f"{language}\t{os.path.abspath(build_language(language, os.path.abspath(args.cache)))}", flush=True)


if __name__ == "__main__":
    main()
