import { clusterEmbeddings, clusteringTree } from './agglomerative-clustering';
import { estimateSpeakerCount } from './speaker-count';
import { splitMergedVoices } from './split-merged-voices';
import { syntheticVoices } from './testing/synthetic-voices';

/** Unit vectors near given directions plus seeded jitter: voices in miniature. */
const voices = (plan: readonly number[], directions: readonly number[][], jitter = 0.25) => syntheticVoices(plan, { seed: 4242, jitter, directions });

/** Voices 1 and 2 are near each other (cosine distance ~0.36 between their centres, as close as CAM++ puts two real voices), voice 0 is far from both. */
const CLOSE_PAIR = [[1, -1], [0, 1], [0, 1, 1.2]];
const turns = (speakers: number) => Array.from({ length: 90 }, (_, i) => Math.floor(i / 6) % speakers);
const splitInTwo = (n: number) => (members: readonly Float32Array[]) => clusteringTree(members, Math.max(0.1, (0.1 * n) / members.length)).labelsForCount(2);

describe('splitMergedVoices', () => {
  it('splits a cluster that holds two close voices, and keeps the far voice whole', () => {
    const plan = turns(3);
    const merged = plan.map((s) => (s === 0 ? 0 : 1));
    const result = splitMergedVoices(voices(plan, CLOSE_PAIR), merged, splitInTwo(plan.length), 8);
    expect(new Set(result).size).toBe(3);
    // Every true voice maps to one label, and the labels differ: the split is the voices', not a random cut.
    const labelOf = (s: number) => new Set(result.filter((_, i) => plan[i] === s));
    expect([0, 1, 2].map((s) => labelOf(s).size)).toEqual([1, 1, 1]);
    expect(new Set([0, 1, 2].map((s) => [...labelOf(s)][0])).size).toBe(3);
  });

  it('leaves clusters of one voice each alone', () => {
    const plan = turns(3);
    const result = splitMergedVoices(voices(plan, CLOSE_PAIR), plan, splitInTwo(plan.length), 8);
    expect(result).toEqual(plan);
  });

  it('leaves one voice with a noisy spread in one piece', () => {
    const plan = turns(2);
    const labels = splitMergedVoices(voices(plan, [[1], [0, 1]], 0.35), plan, splitInTwo(plan.length), 8);
    expect(new Set(labels).size).toBe(2);
  });

  it('never goes past maxSpeakers', () => {
    const plan = turns(3);
    const merged = plan.map((s) => (s === 0 ? 0 : 1));
    expect(new Set(splitMergedVoices(voices(plan, CLOSE_PAIR), merged, splitInTwo(plan.length), 2)).size).toBe(2);
  });
});

describe('clusterEmbeddings with the count estimated', () => {
  it('counts three voices, two of them close, where the silhouette alone answers two', () => {
    const plan = turns(3);
    const embeddings = voices(plan, CLOSE_PAIR);
    const tree = clusteringTree(embeddings, 0.1);
    expect(estimateSpeakerCount(embeddings, tree.labelsForCount).count).toBe(2);
    expect(new Set(clusterEmbeddings(embeddings, {})).size).toBe(3);
  });
});
