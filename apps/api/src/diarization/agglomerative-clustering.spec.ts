import { clusterEmbeddings } from './agglomerative-clustering';
import { syntheticVoices } from './testing/synthetic-voices';

/** Unit vectors near one of a few well-separated directions, plus seeded jitter: speakers in miniature. */
const voices = (plan: number[], jitter = 0.15, dims = 16) => syntheticVoices(plan, { seed: 12345, jitter, dims });

const sameGroups = (labels: number[], plan: number[]) =>
  plan.every((speaker, i) => plan.every((other, j) => (speaker === other) === (labels[i] === labels[j])));

describe('clusterEmbeddings', () => {
  const plan = [0, 0, 0, 1, 1, 0, 2, 2, 2, 1, 1, 0, 2, 0, 1, 2, 0, 1, 2, 0];

  it('finds three speakers from the threshold alone', () => {
    const labels = clusterEmbeddings(voices(plan), { threshold: 0.5 });
    expect(new Set(labels).size).toBe(3);
    expect(sameGroups(labels, plan)).toBe(true);
  });

  it('honours an exact speaker count, fewer than the threshold would give', () => {
    const labels = clusterEmbeddings(voices(plan), { threshold: 0.5, speakers: 2 });
    expect(new Set(labels).size).toBe(2);
    // The two closest real speakers are merged, never split: every original group stays inside one cluster.
    expect(plan.every((s, i) => plan.every((o, j) => s !== o || labels[i] === labels[j]))).toBe(true);
  });

  it('does not spend the speaker budget on an outlier: it joins the nearest speaker', () => {
    const embeddings = voices([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
    const outlier = new Float32Array(16);
    outlier[9] = 0.8;
    outlier[0] = 0.6;
    embeddings.push(outlier);
    const labels = clusterEmbeddings(embeddings, { threshold: 0.5, speakers: 2 });
    expect(new Set(labels).size).toBe(2);
    expect(labels[0]).not.toBe(labels[6]);
    expect(labels[12]).toBe(labels[0]);
  });

  it('keeps the count inside minSpeakers..maxSpeakers', () => {
    expect(new Set(clusterEmbeddings(voices(plan), { threshold: 0.5, maxSpeakers: 2 })).size).toBe(2);
    expect(new Set(clusterEmbeddings(voices(plan), { threshold: 2, minSpeakers: 3 })).size).toBe(3);
  });

  it('handles nothing and one window', () => {
    expect(clusterEmbeddings([], { threshold: 0.3 })).toEqual([]);
    expect(clusterEmbeddings(voices([0]), { threshold: 0.3 })).toEqual([0]);
  });
});
