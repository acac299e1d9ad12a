"""Puts speakers into a transcript in the shared wire shape (apps/api/src/diarization/assign-speakers.ts): every word
and segment gets the speaker whose turns overlap it most (the nearest turn when none overlaps, e.g. a word the speech
regions missed), and a segment whose words change speaker is split there, so each segment has one speaker. Segments
without words keep their span and get the majority speaker."""
from __future__ import annotations

from typing import Any, Dict, List, Sequence

from runtime.diarization.spans import SpeakerTurn, overlap


def assign_speakers(result: Dict[str, Any], turns: Sequence[SpeakerTurn]) -> Dict[str, Any]:
    if not turns:
        return result
    segments: List[Dict[str, Any]] = []
    for segment in result["segments"]:
        words = [{**w, "speaker": speaker_of(w["start"], w["end"], turns)} for w in segment.get("words") or []]
        if not words:
            segments.append({**segment, "speaker": speaker_of(segment["start"], segment["end"], turns)})
            continue
        for run in _runs_by_speaker(words):
            whole = len(run) == len(words)
            segments.append(
                {
                    **segment,
                    "start": segment["start"] if whole else run[0]["start"],
                    "end": segment["end"] if whole else run[-1]["end"],
                    # A leading space, as result_format.py writes segment texts (callers join them with "").
                    "text": segment["text"] if whole else " " + " ".join(w["word"] for w in run),
                    "words": run,
                    "speaker": run[0]["speaker"],
                }
            )
    updated = {**result, "segments": [{**segment, "id": i} for i, segment in enumerate(segments)]}
    if "words" in result:
        updated["words"] = [{**w, "speaker": speaker_of(w["start"], w["end"], turns)} for w in result["words"]]
    return updated


def speaker_of(start: float, end: float, turns: Sequence[SpeakerTurn]) -> str:
    totals: Dict[str, float] = {}
    for turn in turns:
        shared = overlap(start, end, turn.start, turn.end)
        if shared > 0:
            totals[turn.speaker] = totals.get(turn.speaker, 0.0) + shared
    if totals:
        best = None
        for speaker, total in totals.items():  # the first of equal totals, as the TypeScript reduce keeps it
            if best is None or total > totals[best]:
                best = speaker
        return best
    middle = (start + end) / 2

    def distance(turn: SpeakerTurn) -> float:
        return turn.start - middle if middle < turn.start else middle - turn.end if middle > turn.end else 0.0

    nearest = turns[0]
    for turn in turns[1:]:
        if distance(turn) < distance(nearest):
            nearest = turn
    return nearest.speaker


def _runs_by_speaker(words: List[Dict[str, Any]]) -> List[List[Dict[str, Any]]]:
    runs: List[List[Dict[str, Any]]] = []
    for word in words:
        if runs and runs[-1][0]["speaker"] == word["speaker"]:
            runs[-1].append(word)
        else:
            runs.append([word])
    return runs
