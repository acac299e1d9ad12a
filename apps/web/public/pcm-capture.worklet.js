// AudioWorklet processor for the Live page (served as an asset: worklet modules cannot be bundled by the
// Angular build). It only copies the microphone's first channel out in ~20 ms blocks at the context's rate;
// resampling to 24 kHz and PCM16 encoding happen in core/realtime (tested TypeScript) on the main thread.
class PcmCaptureProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.block = new Float32Array(Math.max(128, Math.round(sampleRate / 50)));
    this.filled = 0;
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (channel) {
      let read = 0;
      while (read < channel.length) {
        const count = Math.min(channel.length - read, this.block.length - this.filled);
        this.block.set(channel.subarray(read, read + count), this.filled);
        this.filled += count;
        read += count;
        if (this.filled === this.block.length) {
          this.port.postMessage(this.block.slice(0));
          this.filled = 0;
        }
      }
    }
    return true;
  }
}

registerProcessor('pcm-capture', PcmCaptureProcessor);
