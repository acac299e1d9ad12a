import { clusterEmbeddings, clusteringTree } from './agglomerative-clustering';
import { cosineDistances, estimateSpeakerCount, meanSilhouette } from './speaker-count';
import { syntheticVoices } from './testing/synthetic-voices';

/** Unit vectors near one of a few orthogonal directions, plus seeded jitter: speakers in miniature. */
const voices = (plan: readonly number[], jitter = 0.2, dims = 16) => syntheticVoices(plan, { seed: 777, jitter, dims });

/** `speakers` voices taking turns of 5 windows each, 60 windows in all. */
const conversation = (speakers: number) => Array.from({ length: 60 }, (_, i) => Math.floor(i / 5) % speakers);

const estimate = (plan: readonly number[], bounds = {}) => {
  const embeddings = voices(plan);
  return estimateSpeakerCount(embeddings, clusteringTree(embeddings, 0.1).labelsForCount, bounds);
};

describe('estimateSpeakerCount', () => {
  it.each([2, 3, 4, 5])('finds %i well-separated voices', (speakers) => {
    const result = estimate(conversation(speakers));
    expect(result.count).toBe(speakers);
    expect(new Set(result.labels).size).toBe(speakers);
  });

  it('answers one speaker when every split leaves the halves alike', () => {
    const result = estimate(conversation(1));
    expect(result.count).toBe(1);
    expect(new Set(result.labels)).toEqual(new Set([0]));
  });

  it('stays inside the bounds it is given', () => {
    expect(estimate(conversation(4), { maxSpeakers: 2 }).count).toBe(2);
    expect(estimate(conversation(1), { minSpeakers: 2, maxSpeakers: 4 }).count).toBeGreaterThanOrEqual(2);
    expect(estimate(conversation(1), { minSpeakers: 2, maxSpeakers: 4 }).count).toBeLessThanOrEqual(4);
    expect(estimate(conversation(3), { minSpeakers: 3, maxSpeakers: 3 }).count).toBe(3);
  });

  it('scores the candidate counts it tried, the chosen one best', () => {
    const scores = estimate(conversation(3), { maxSpeakers: 5 }).scores;
    expect([...scores.keys()]).toEqual(expect.arrayContaining([2, 3]));
    expect(Math.max(...scores.keys())).toBeLessThanOrEqual(5);
    expect(Math.max(...scores.values())).toBe(scores.get(3));
  });

  it('is what clusterEmbeddings does when neither a count nor a threshold is given', () => {
    const plan = conversation(3);
    expect(new Set(clusterEmbeddings(voices(plan), {})).size).toBe(3);
    expect(new Set(clusterEmbeddings(voices(plan), { maxSpeakers: 2 })).size).toBe(2);
  });
});

describe('meanSilhouette', () => {
  it('is near 1 for tight, far-apart clusters and near 0 for labels that ignore the voices', () => {
    const plan = conversation(2);
    const embeddings = voices(plan, 0.05);
    const distance = cosineDistances(embeddings);
    expect(meanSilhouette(distance, plan.length, plan)).toBeGreaterThan(0.8);
    const shuffled = plan.map((_, i) => i % 2);
    expect(meanSilhouette(distance, plan.length, shuffled)).toBeLessThan(0.1);
  });
});
