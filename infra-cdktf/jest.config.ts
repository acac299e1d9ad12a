import type { Config } from 'jest';

const config: Config = {
  displayName: 'infra-cdktf',
  // No nx preset: its resolver and jsdom environment only slow down Terraform synthesis tests.
  testEnvironment: 'node',
  // isolatedModules (tsconfig) makes ts-jest transpile only; `nx run infra-cdktf:typecheck` type-checks.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFilesAfterEnv: ['<rootDir>/jest.setup.ts'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../coverage/infra-cdktf',
};

export default config;
