// @ts-check
/**
 * One-way layers for apps/api/src and libs, checked by `nx run api:lint` (and so by `npm test`):
 *   npx depcruise apps/api/src libs --config .dependency-cruiser.cjs
 *
 * Layers, top to bottom. A module may import its own layer and the layers below it, never one above; no module may
 * take part in an import cycle, type-only imports included (a cycle of types is still a cycle of meaning).
 */
const API = '^apps/api/src/';

/** @type {Array<{ name: string; why: string; folders: string[] }>} */
const LAYERS = [
  {
    name: 'app',
    why: 'the composition root: process start, the Nest app, the shutdown sequence',
    folders: ['main\\.ts$', 'create-app\\.ts$', 'app\\.module\\.ts$', 'graceful-shutdown\\.ts$', 'web-console\\.middleware\\.ts$'],
  },
  {
    name: 'entry',
    why: 'routes over the features: /transcribe and /v1 (sync or, with async=true, a job), the realtime gateway, /v1/models, status, health',
    folders: ['transcription/', 'realtime/', 'status/', 'health/', 'models/'],
  },
  { name: 'jobs', why: 'async jobs and their webhooks; they run the sync path, never the other way round', folders: ['jobs/'] },
  {
    name: 'features',
    why: 'the audio pipeline that sync requests and jobs share (VAD, diarization), streaming policies, and the route documentation',
    folders: ['pipeline/', 'windowing/', 'vad/', 'diarization/', 'streaming/', 'openapi/'],
  },
  { name: 'policies', why: 'request policies that sit on auth: fair sharing, uploads, metrics', folders: ['fair-share/', 'upload/', 'metrics/'] },
  { name: 'edge', why: 'who is calling, HTTP limits, the drain state', folders: ['auth/', 'limits/', 'lifecycle/'] },
  { name: 'engines', why: 'the TranscriptionEngine port and its adapters', folders: ['engines/'] },
  { name: 'adapters', why: 'stores and the decoder', folders: ['storage/', 'audio/'] },
  { name: 'config', why: 'the environment, validated once into typed sections', folders: ['config/'] },
  { name: 'common', why: 'the error model, logging, ids, shared values', folders: ['common/'] },
];

const pathsOf = (layer) => layer.folders.map((folder) => `${API}${folder}`);

/** One rule per layer: nothing in it imports a layer above it. */
const upward = LAYERS.slice(1).map((layer, index) => ({
  name: `layer-${layer.name}`,
  comment: `${layer.name} (${layer.why}) must not import a layer above it: ${LAYERS.slice(0, index + 1).map((above) => above.name).join(', ')}`,
  severity: 'error',
  from: { path: pathsOf(layer) },
  to: { path: LAYERS.slice(0, index + 1).flatMap(pathsOf) },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle, type-only imports included: split the shared part out below both.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...upward,
    {
      name: 'api-folders-are-layered',
      comment: 'Every folder of apps/api/src belongs to a layer: add a new one to LAYERS in .dependency-cruiser.cjs.',
      severity: 'error',
      from: { path: `${API}`, pathNot: LAYERS.flatMap(pathsOf) },
      to: {},
    },
    {
      name: 'contracts-import-nothing',
      comment: 'libs/contracts is the shared vocabulary: it imports nothing of ours.',
      severity: 'error',
      from: { path: '^libs/contracts/' },
      to: { path: '^(apps|libs)/', pathNot: '^libs/contracts/' },
    },
    {
      name: 'libs-never-import-apps',
      comment: 'Libraries sit below every app.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
  ],
  options: {
    // Type-only imports are dependencies too: `import type` cycles are cycles.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    doNotFollow: { path: 'node_modules' },
    // Specs may reach across layers to build what they test; fixtures of the rule's own spec break it on purpose.
    exclude: { path: ['\\.spec\\.ts$', '/testing/', '^apps/api/test/'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
