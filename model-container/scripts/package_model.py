#!/usr/bin/env python3
"""Package Hugging Face Whisper weights as the model.tar.gz SageMaker expects, optionally upload it.

SageMaker unpacks ModelDataUrl into /opt/ml/model, so the files (config.json, model.safetensors,
tokenizer and preprocessor files, generation_config.json) must sit at the archive root.

    python scripts/package_model.py --model-id openai/whisper-large-v3-turbo --output model.tar.gz
    python scripts/package_model.py --model-id openai/whisper-large-v3-turbo \\
        --output model.tar.gz --s3-uri s3://my-bucket/models/whisper-large-v3-turbo/model.tar.gz
    python scripts/package_model.py --from-dir ./whisper --output model.tar.gz   # already on disk
    python scripts/package_model.py --model-id ... --download-only --local-dir /opt/baked-model
    python scripts/package_model.py --from-dir ./whisper --speaker-model .cache/models-real/speaker/campplus-3dspeaker.onnx

--speaker-model adds the diarization speaker encoder (`npm run models:speaker` makes it) as
speaker/campplus-3dspeaker.onnx, where the container looks for it (runtime/model_location.py).

Needs network and huggingface_hub for --model-id, boto3 for --s3-uri.
"""
from __future__ import annotations

import argparse
import os
import sys
import tarfile
from pathlib import Path
from typing import List, Optional

# What from_pretrained needs; everything else in a Hub repo (other weight formats, READMEs) is dropped.
WANTED_PATTERNS = ["*.json", "*.safetensors", "*.txt", "*.tiktoken"]
SKIPPED_DIRS = {".cache", ".git", ".huggingface"}
REQUIRED = "config.json"
SPEAKER_MEMBER = "speaker/campplus-3dspeaker.onnx"


def download(model_id: str, revision: Optional[str], local_dir: str) -> str:
    from huggingface_hub import snapshot_download

    return snapshot_download(repo_id=model_id, revision=revision, local_dir=local_dir, allow_patterns=WANTED_PATTERNS)


def files_to_pack(model_dir: Path) -> List[Path]:
    files = []
    for path in sorted(model_dir.rglob("*")):
        relative = path.relative_to(model_dir)
        if path.is_file() and not (set(relative.parts[:-1]) & SKIPPED_DIRS) and not relative.name.startswith("."):
            files.append(relative)
    names = {f.as_posix() for f in files}
    if REQUIRED not in names:
        raise SystemExit(f"{model_dir} has no {REQUIRED} at its top level: not a Hugging Face model directory")
    if not any(n.endswith(".safetensors") for n in names):
        raise SystemExit(f"{model_dir} has no .safetensors weights")
    return files


def _normalised(info: tarfile.TarInfo) -> tarfile.TarInfo:
    # Same bytes for the same weights: no local owner names, times or permissions leak in.
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mtime = 0
    info.mode = 0o644
    return info


def build_archive(model_dir: str, output: str, speaker_model: Optional[str] = None) -> List[str]:
    """Write output (gzip tar) with the model's files at the archive root (and the speaker encoder at SPEAKER_MEMBER
    when given); returns member names."""
    root = Path(model_dir)
    sources = [(root / relative, relative.as_posix()) for relative in files_to_pack(root)]
    if speaker_model:
        sources = [(path, name) for path, name in sources if name != SPEAKER_MEMBER]  # the one given wins
        if not Path(speaker_model).is_file():
            raise SystemExit(f"--speaker-model {speaker_model} is not a file")
        sources.append((Path(speaker_model), SPEAKER_MEMBER))
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(output, "w:gz", compresslevel=1) as archive:  # safetensors barely compress
        for path, name in sources:
            archive.add(str(path), arcname=name, recursive=False, filter=_normalised)
    return [name for _, name in sources]


def upload(archive: str, s3_uri: str) -> None:
    import boto3

    if not s3_uri.startswith("s3://") or "/" not in s3_uri[5:]:
        raise SystemExit("--s3-uri must look like s3://bucket/key/model.tar.gz")
    bucket, key = s3_uri[5:].split("/", 1)
    boto3.client("s3").upload_file(archive, bucket, key)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--model-id", help="Hugging Face model id, e.g. openai/whisper-large-v3-turbo")
    source.add_argument("--from-dir", help="package this directory, no download")
    parser.add_argument("--local-dir", help="where to download (default: a folder next to --output)")
    parser.add_argument("--revision", help="Hub revision (commit, branch or tag) to pin")
    parser.add_argument("--output", default="model.tar.gz")
    parser.add_argument("--download-only", action="store_true", help="download into --local-dir, write no archive")
    parser.add_argument("--s3-uri", help="upload the archive there (s3://bucket/key)")
    parser.add_argument("--speaker-model", help=f"the diarization speaker encoder (ONNX) to add as {SPEAKER_MEMBER}")
    args = parser.parse_args(argv)

    if args.from_dir:
        model_dir = args.from_dir
    else:
        target = args.local_dir or os.path.join(os.path.dirname(os.path.abspath(args.output)), "model-files")
        model_dir = download(args.model_id, args.revision, target)
        print(f"downloaded {args.model_id} to {model_dir}")
        if args.download_only:
            files_to_pack(Path(model_dir))  # fail the image build now if the download is incomplete
            return 0
    members = build_archive(model_dir, args.output, args.speaker_model)
    size_mb = os.path.getsize(args.output) / 1e6
    print(f"wrote {args.output} ({size_mb:.0f} MB): {', '.join(members)}")
    if args.s3_uri:
        upload(args.output, args.s3_uri)
        print(f"uploaded to {args.s3_uri}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
