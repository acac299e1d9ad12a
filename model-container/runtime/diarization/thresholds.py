"""The diarization numbers, in one place, with the values of the API's TypeScript constants (apps/api/src/diarization):
they are tuned there (bench/diarization) for the encoder both sides run, and copied here when retuned. Each comment
names the TypeScript file that says why the value is what it is."""
from __future__ import annotations

# A cluster with fewer than this share of the windows (and never fewer than 2) does not count as a speaker, when the
# count is given (agglomerative-clustering.ts, default minClusterShare).
MIN_CLUSTER_SHARE = 0.05
# The same while the count is estimated: at 5 % a voice's telephone-band stretch or an overlap region forms its own
# "speaker" with a good silhouette (agglomerative-clustering.ts ESTIMATE_MIN_CLUSTER_SHARE).
ESTIMATE_MIN_CLUSTER_SHARE = 0.1
# Most speakers considered when no maximum is given (speaker-count.ts DEFAULT_MAX_SPEAKERS).
DEFAULT_MAX_SPEAKERS = 8
# Cosine distance between cluster centres under which the best split is one voice: one CAM++ voice alone splits into
# centres <= 0.32 apart, different voices of the bench conversations lie >= 0.39 apart (speaker-count.ts).
SINGLE_SPEAKER_CENTRES = 0.33
# A cluster is cut in two when its halves score at least this mean silhouette among themselves and their centres lie
# at least SPLIT_CENTRES apart (split-merged-voices.ts LOCAL_SILHOUETTE, SPLIT_CENTRES).
LOCAL_SILHOUETTE = 0.35
SPLIT_CENTRES = 0.3
# The spectral count looks at an evenly spaced sample of at most this many windows: it is O(p_max * n^3)
# (spectral-speaker-count.ts MAX_SPECTRAL_WINDOWS).
MAX_SPECTRAL_WINDOWS = 160
# Below this cosine similarity a cluster is not the known speaker, however few other candidates there are (the API's
# value, kept for CAM++: a reference clip scores 0.90–0.97 against its own speaker's cluster, 0.48–0.58 against another).
KNOWN_SPEAKER_MIN_SIMILARITY = 0.75
