"""The diarization thresholds that depend on the speaker encoder's embedding space, in one place: they are tuned on
the API side (bench/diarization) for the encoder both sides run, and copied here when retuned."""
from __future__ import annotations

# Cosine distance (average linkage over windows) under which two clusters are one speaker, when the count is not
# given. INTERIM for CAM++ until the API side's retuned value arrives: GE2E's 0.3 cuts pyannote's two-speaker sample
# into 7 clusters with CAM++ windows; 0.4 → 6, 0.5 → 2, 0.6 → 1 (one sample only, so not a tuned value).
CLUSTER_DISTANCE_THRESHOLD = 0.5
# A cluster with fewer than this share of the windows (and never fewer than 2) does not count as a speaker.
MIN_CLUSTER_SHARE = 0.05
# Below this cosine similarity a cluster is not the known speaker, however few other candidates there are (the API's
# value, kept for CAM++: a reference clip scores 0.90–0.97 against its own speaker's cluster, 0.48–0.58 against another).
KNOWN_SPEAKER_MIN_SIMILARITY = 0.75
