"""Builds the pool of real recorded voices that bench/diarization/conversations.ts mixes into conversations.

    $SPEECH_PYTHON bench/diarization/build_voices.py [--cache .cache/diarization]

Prints the path of the manifest (`<cache>/v1/manifest.json`). Idempotent: the .debs are downloaded once with
`apt-get download` (sha256-pinned), every output is written once; a second run only prints the path.

Seven different people, every one a human recording from a Debian package (no synthetic speech):
  allison  en_US_f_Allison   asterisk-core-sounds-en-g722   16 kHz G.722   CC-BY-SA
  june     fr_CA_f_June      asterisk-core-sounds-fr-g722   16 kHz G.722   CC-BY-SA
  carlo    it_IT_m_Carlo     asterisk-core-sounds-it-g722   16 kHz G.722   CC-BY-SA
  ivr-ru   ru_RU_f_IvrvoiceRU asterisk-core-sounds-ru-g722  16 kHz G.722   CC-BY-SA
  paola    it_IT_f_Menardi   asterisk-prompt-it-menardi-wav  8 kHz PCM     CC-BY-SA 3.0 (Paola Dal Zot)
  armelle  fr                asterisk-prompt-fr-armelle      8 kHz GSM     BSD-style (Armelle Desjardins)
  july     es (Colombia)     asterisk-prompt-es-co           8 kHz GSM     GPL-2 (July E. Jiménez)
(es_MX_f_Allison is left out: Allison Smith again, in Spanish.)

Per voice: up to MAX_CLIPS prompts (the package's own order), each decoded to 16 kHz mono, cut to its voiced span
(first to last 10 ms frame within 40 dB of the clip's loudest), kept if that span lasts 0.8-8 s, and scaled by one
gain per voice so the voice's median clip sits at -26 dBFS (levels differ by package, which would be a free cue).
The three 8 kHz voices have no energy above 4 kHz, which alone would tell them apart from the 16 kHz ones; so every
16 kHz voice also gets a `narrow` copy passed through 8 kHz, and conversations that cast an 8 kHz voice use the narrow
copies of everybody (conversations.ts).
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import subprocess
import wave

import numpy as np

VERSION = "v1"
RATE = 16000
MAX_CLIPS = 160
MIN_SECONDS, MAX_SECONDS = 0.8, 8.0
TARGET_DBFS = -26.0
FRAME = 160
ONSET_DB = -40.0

# package (deb file name prefix) -> sha256 of the bookworm .deb. A changed package changes the voices: bump VERSION.
PINS = {
    "asterisk-core-sounds-en-g722_1.6.1-1": "38c5261820b406dcb0ecb37675720da2b0864850690690352ca52707eb623806",
    "asterisk-core-sounds-fr-g722_1.6.1-1": "7add61d5e42279ecff1bbdf842a5a946ac3644fac9a0fe44384731aa7270c8e0",
    "asterisk-core-sounds-it-g722_1.6.1-1": "46b4cf7afc508a5fcfc051b7ea233251c0d195dd4ef83cc4b7facb4c6429b016",
    "asterisk-core-sounds-ru-g722_1.6.1-1": "673b4238a6b8269960f055d868c6a11083f7a0d00979167cb01554046b48ed9b",
    "asterisk-prompt-it-menardi-wav_1%3a1.4.22+mm20110907-3.1": "3094530d98f8758ac275572d59624c41f60969fef883f34f4886d144f3dfeb21",
    "asterisk-prompt-fr-armelle_20070613-2.2": "162570b1a9b3512a98f06b89f60c7c17cf1b9b52297315adca9a4e5be728bea3",
    "asterisk-prompt-es-co_0.20070403-2.1": "6702696e045514699e87dc8fb70f370717e5df91f821f7bec8dd0df1be008e83",
}

VOICES = [
    # name, deb prefix, folder inside the package, file extension, ffmpeg input format, band (Hz of the source), language, sex
    ("allison", "asterisk-core-sounds-en-g722_1.6.1-1", "usr/share/asterisk/sounds/en_US_f_Allison", "g722", "g722", 16000, "en", "f"),
    ("june", "asterisk-core-sounds-fr-g722_1.6.1-1", "usr/share/asterisk/sounds/fr_CA_f_June", "g722", "g722", 16000, "fr", "f"),
    ("carlo", "asterisk-core-sounds-it-g722_1.6.1-1", "usr/share/asterisk/sounds/it_IT_m_Carlo", "g722", "g722", 16000, "it", "m"),
    ("ivr-ru", "asterisk-core-sounds-ru-g722_1.6.1-1", "usr/share/asterisk/sounds/ru_RU_f_IvrvoiceRU", "g722", "g722", 16000, "ru", "f"),
    ("paola", "asterisk-prompt-it-menardi-wav_1%3a1.4.22+mm20110907-3.1", "usr/share/asterisk/sounds/it_IT_f_Menardi", "wav", None, 8000, "it", "f"),
    ("armelle", "asterisk-prompt-fr-armelle_20070613-2.2", "usr/share/asterisk/sounds/fr", "gsm", "gsm", 8000, "fr", "f"),
    ("july", "asterisk-prompt-es-co_0.20070403-2.1", "usr/share/asterisk/sounds/es", "gsm", "gsm", 8000, "es", "f"),
]


def sha256(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def fetch(prefix: str, cache: str) -> str:
    """apt-get download + sha256 check + dpkg -x, once; returns the unpacked root."""
    debs = os.path.join(cache, "debs")
    os.makedirs(debs, exist_ok=True)
    path = os.path.join(debs, prefix + "_all.deb")
    if not os.path.exists(path):
        package = prefix.split("_")[0]
        done = subprocess.run(["apt-get", "download", package], cwd=debs, capture_output=True, text=True)
        if done.returncode != 0 or not os.path.exists(path):
            raise SystemExit(
                f"could not download {package} ({os.path.basename(path)}) with apt-get download: {done.stderr.strip()}\n"
                "It is in Debian 12 bookworm main: run `apt-get update` first. Offline, copy the pinned .deb into " + debs
            )
    if sha256(path) != PINS[prefix]:
        raise SystemExit(f"{path}: sha256 {sha256(path)} is not the pinned {PINS[prefix]}; delete it and rerun")
    root = os.path.join(cache, "unpacked", prefix)
    marker = os.path.join(root, ".unpacked")
    if not os.path.exists(marker):
        os.makedirs(root, exist_ok=True)
        subprocess.run(["dpkg", "-x", path, root], check=True)
        open(marker, "w").close()
    return root


def decode(path: str, input_format: str | None, narrow: bool = False) -> np.ndarray:
    """16 kHz mono float32 (ffmpeg); `narrow`: through 8 kHz and back, i.e. telephone bandwidth."""
    args = ["ffmpeg", "-nostdin", "-loglevel", "error"]
    if input_format:
        args += ["-f", input_format]
    args += ["-i", path]
    if narrow:
        args += ["-af", "aresample=8000,aresample=16000"]
    args += ["-f", "f32le", "-ac", "1", "-ar", str(RATE), "-"]
    return np.frombuffer(subprocess.run(args, check=True, capture_output=True).stdout, dtype=np.float32)


def voiced_span(samples: np.ndarray) -> tuple[int, int] | None:
    frames = len(samples) // FRAME
    if frames == 0:
        return None
    energy = (samples[: frames * FRAME].reshape(frames, FRAME).astype(np.float64) ** 2).mean(axis=1)
    if energy.max() <= 1e-10:
        return None
    voiced = np.nonzero(10 * np.log10(energy / energy.max() + 1e-12) > ONSET_DB)[0]
    return int(voiced[0]) * FRAME, int(voiced[-1] + 1) * FRAME


def write_wav(path: str, samples: np.ndarray) -> None:
    pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).round().astype("<i2")
    tmp = path + ".tmp"
    with wave.open(tmp, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())
    os.replace(tmp, path)


def build_voice(spec: tuple, cache: str, folder: str) -> dict:
    name, prefix, sounds, ext, input_format, band, language, sex = spec
    files = sorted(glob.glob(os.path.join(fetch(prefix, cache), sounds, "*." + ext)))
    clips = []
    for path in files:
        if len(clips) == MAX_CLIPS:
            break
        samples = decode(path, input_format)
        span = voiced_span(samples)
        if span is None or not MIN_SECONDS <= (span[1] - span[0]) / RATE <= MAX_SECONDS:
            continue
        narrow = decode(path, input_format, narrow=True)[span[0] : span[1]] if band > 8000 else None
        clips.append((os.path.basename(path).rsplit(".", 1)[0], samples[span[0] : span[1]], narrow))
    if not clips:
        raise SystemExit(f"{name}: no usable prompt under {sounds}")
    rms = [np.sqrt(np.mean(c[1].astype(np.float64) ** 2)) for c in clips]
    gain = 10 ** (TARGET_DBFS / 20) / float(np.median(rms))
    out = os.path.join(folder, name)
    os.makedirs(out, exist_ok=True)
    entries = []
    for clip_id, wide, narrow in clips:
        # Paths relative to the manifest, so the cache can move (or be shared by worktrees).
        entry = {"id": clip_id, "seconds": round(len(wide) / RATE, 3), "wav": f"voices/{name}/{clip_id}.wav"}
        write_wav(os.path.join(out, clip_id + ".wav"), wide * gain)
        if narrow is not None:
            entry["narrowWav"] = f"voices/{name}/{clip_id}.narrow.wav"
            write_wav(os.path.join(out, clip_id + ".narrow.wav"), narrow * gain)
        entries.append(entry)
    return {"name": name, "language": language, "sex": sex, "band": band, "package": prefix.split("_")[0], "clips": entries}


def build(cache: str) -> str:
    folder = os.path.join(cache, VERSION)
    manifest_path = os.path.join(folder, "manifest.json")
    if os.path.exists(manifest_path):
        return manifest_path
    voices = [build_voice(spec, cache, os.path.join(folder, "voices")) for spec in VOICES]
    with open(manifest_path + ".tmp", "w", encoding="utf-8") as f:
        json.dump({"version": VERSION, "rate": RATE, "voices": voices}, f, indent=1)
    os.replace(manifest_path + ".tmp", manifest_path)  # written last: its presence means every WAV is there
    return manifest_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".cache", "diarization"))
    args = parser.parse_args()
    print(os.path.abspath(build(os.path.abspath(args.cache))), flush=True)


if __name__ == "__main__":
    main()
