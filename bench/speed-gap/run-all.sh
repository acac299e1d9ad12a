#!/usr/bin/env bash
# issue 12 speed gap: every variant on the same 4 concatenations (~118 s of speech), one JSON line each.
#   flock /tmp/bench.lock bash bench/speed-gap/run-all.sh   (needs WHISPER_BLAS_CLI and the q8_0 model, see README)
set -euo pipefail
P=${SPEECH_PYTHON:-/work/main/.cache/venv/bin/python}
C=.cache/eval/v1/en/concat
CLIPS="$C/concat-000.wav $C/concat-002.wav $C/concat-008.wav $C/concat-009.wav"
CLI=${WHISPER_CLI:-$(ls -d .cache/whisper-native/whisper-*-native-*/build/bin/whisper-cli | head -1)}
BLAS=${WHISPER_BLAS_CLI:-}
F16=.cache/models-real/ggml/ggml-tiny.en.bin
Q8=${Q8_MODEL:-.native-cache/models/ggml-tiny.en-q8_0.bin}
CT2=.cache/models-real/ct2/tiny.en
S="$P bench/speed-gap/split_time.py"
for round in 1 2; do
  $S fw --model $CT2 --compute float32 --label "fw-float32#$round" $CLIPS
  $S cli --cli "$CLI" --model $F16 --label "cpp-f16#$round" $CLIPS
  [ -n "$BLAS" ] && $S cli --cli "$BLAS" --model $F16 --label "cpp-f16-openblas#$round" $CLIPS
  [ -f "$Q8" ] && $S cli --cli "$CLI" --model $Q8 --label "cpp-q8_0#$round" $CLIPS
  if [ "$round" = 1 ]; then
    $S fw --model $CT2 --compute int8 --label "fw-int8#$round" $CLIPS
    [ -n "$BLAS" ] && [ -f "$Q8" ] && $S cli --cli "$BLAS" --model $Q8 --label "cpp-q8_0-openblas#$round" $CLIPS
  fi
done
