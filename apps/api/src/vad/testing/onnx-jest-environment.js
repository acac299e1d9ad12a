// Jest runs specs in their own realm, so typed arrays made there fail onnxruntime's `instanceof Float32Array`
// checks against arrays its native binding makes in Node's realm (and the reverse). Specs that run onnxruntime-node
// use this environment (`@jest-environment ./src/vad/testing/onnx-jest-environment.js`, relative to apps/api): the realm shares Node's typed arrays.
const { TestEnvironment } = require('jest-environment-node');

const SHARED = ['ArrayBuffer', 'Float32Array', 'Float64Array', 'Int8Array', 'Uint8Array', 'Int16Array', 'Uint16Array',
  'Int32Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array', 'Uint8ClampedArray'];

class OnnxEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = OnnxEnvironment;
