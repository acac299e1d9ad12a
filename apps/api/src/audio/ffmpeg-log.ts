/** How many error lines are kept to classify a failure; the rest are only counted. */
const KEPT_ERROR_LINES = 20;

/**
 * Reads ffmpeg's stderr (run with `-loglevel level+info`) line by line, keeping only what the decode needs, so a
 * chatty or hostile file cannot grow memory: the duration the container declares, whether ffmpeg had to estimate
 * it, and the decoder's error lines (counted; the first few kept for classification, never shown to clients).
 */
export class FfmpegLog {
  declaredSeconds: number | undefined;
  durationIsEstimate = false;
  errorCount = 0;
  readonly errorLines: string[] = [];
  private partial = '';

  write(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    // A line longer than 4 KiB is cut: nothing ffmpeg says that we use is that long.
    this.partial = (lines.pop() ?? '').slice(-4096);
    for (const line of lines) this.line(line);
  }

  end(): void {
    if (this.partial) this.line(this.partial);
    this.partial = '';
  }

  /** The error lines as one text, for pattern matching. */
  get errors(): string {
    return this.errorLines.join('\n');
  }

  private line(line: string): void {
    if (/\[(error|fatal|panic)\]/.test(line)) {
      // The raw-PCM output muxer's complaints (a non-monotonic timestamp) say nothing about damage in the input; they
      // are kept for classification (a full disk shows there) but not counted.
      if (!line.includes('[f32le @')) this.errorCount += 1;
      if (this.errorLines.length < KEPT_ERROR_LINES) this.errorLines.push(line.slice(0, 500));
      return;
    }
    if (/Estimating duration from bitrate/i.test(line)) this.durationIsEstimate = true;
    // Exactly as ffmpeg prints the input's summary line (two spaces in), so a metadata tag cannot pose as it.
    const duration = /^ {2}Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)/.exec(line.replace(/^\[info\] /, ''));
    if (duration && this.declaredSeconds === undefined) {
      const seconds = Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]);
      if (seconds > 0) this.declaredSeconds = seconds;
    }
  }
}
