module.exports = {
  displayName: 'transcript-formats',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  // srt-parser-2 ships ESM only; let ts-jest compile it for the parser tests.
  transformIgnorePatterns: ['node_modules/(?!srt-parser-2/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
};
