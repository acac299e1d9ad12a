import type { Config } from 'jest';
import { getJestProjectsAsync } from '@nx/jest';

export default async (): Promise<Config> => ({
  projects: await getJestProjectsAsync(),
  // A global option: per-project testTimeout is ignored when jest runs several projects at once.
  // Tests that start real processes (API, Python server, Chromium) need more than the 5 s default on 2 cores.
  testTimeout: 120_000,
});
