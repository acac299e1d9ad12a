import { symmetricEigenvalues } from './symmetric-eigenvalues';
import { seededRandom } from './testing/synthetic-voices';

describe('symmetricEigenvalues', () => {
  it('matches numpy.linalg.eigvalsh on a random symmetric 7×7 matrix', () => {
    const random = seededRandom(3);
    const n = 7;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        const v = random();
        a[i * n + j] = v;
        a[j * n + i] = v;
      }
    }
    // numpy 1.26 eigvalsh on the same matrix.
    const expected = [-0.93315352, -0.68654931, -0.6192095, -0.01082335, 0.32432841, 0.45556109, 1.37901442];
    [...symmetricEigenvalues(a, n)].forEach((value, i) => expect(value).toBeCloseTo(expected[i], 7));
  });

  it('counts the connected parts of a graph as zero eigenvalues of its Laplacian', () => {
    // Two triangles, not joined: eigenvalues 0, 0, 3, 3, 3, 3.
    const n = 6;
    const laplacian = new Float64Array(n * n);
    for (const [a, b] of [[0, 1], [1, 2], [0, 2], [3, 4], [4, 5], [3, 5]]) {
      laplacian[a * n + b] = laplacian[b * n + a] = -1;
      laplacian[a * n + a] += 1;
      laplacian[b * n + b] += 1;
    }
    const values = [...symmetricEigenvalues(laplacian, n)];
    values.forEach((value, i) => expect(value).toBeCloseTo(i < 2 ? 0 : 3, 9));
  });
});
