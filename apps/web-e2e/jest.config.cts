// The console end to end: the built API (local engine, generated model) serving the built console,
// driven in Debian's headless Chromium by playwright-core. The global setup builds what it needs.
module.exports = {
  displayName: 'web-e2e',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  globalSetup: '<rootDir>/src/global-setup.ts',
  testMatch: ['<rootDir>/src/**/*.e2e.spec.ts'],
  testTimeout: 240_000,
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  // srt-parser-2 ships ESM only.
  transformIgnorePatterns: ['node_modules/(?!srt-parser-2/)'],
  moduleFileExtensions: ['ts', 'js'],
};
