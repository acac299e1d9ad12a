/**
 * Container-smuggling payloads: files that try to make the decoder read something other than the upload
 * — a playlist or concat list naming another file or URL, a list naming itself, a forged container behind every
 * magic the sniffer accepts. Each names `canaryPath` (a FIFO the test watches, see fifo-canary.ts) wherever a path
 * can go, and `selfName` (the upload's own file name on the server) where a self-reference is the trap.
 * The API and the model container must refuse every one with 415 or 422, fast, without opening the canary.
 */
export interface SmugglingPayload {
  readonly name: string;
  readonly bytes: Buffer;
}

const text = (value: string) => Buffer.from(value, 'latin1');

/** An ID3v2.4 tag with an empty body: what the 155-byte exploit began with. */
const ID3 = Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0]);

/** Two back-to-back MPEG-1 Layer III frame headers (128 kbit/s, 44.1 kHz: 417-byte frames) with silent bodies. */
function twoMpegFrames(): Buffer {
  const frames = Buffer.alloc(2 * 417);
  frames.set([0xff, 0xfb, 0x90, 0x64], 0);
  frames.set([0xff, 0xfb, 0x90, 0x64], 417);
  return frames;
}

function hlsPlaylist(target: string): string {
  return `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:10.0,\nfile:${target}\n#EXTINF:10.0,\n${target}\n#EXT-X-ENDLIST\n`;
}

function concatList(target: string, self: string): string {
  return `ffconcat version 1.0\nfile '${target}'\nfile 'file:${target}'\n${`file ${self}\n`.repeat(64)}`;
}

/** An Ogg page (CRC left zero: ffmpeg does not check it) whose one packet is `payload`. */
function oggPage(payload: Buffer): Buffer {
  const header = Buffer.alloc(27);
  header.write('OggS', 0, 'latin1');
  header[5] = 0x02; // beginning of stream
  header.writeUInt32LE(0x1234, 14); // serial
  const segments: number[] = [];
  for (let left = payload.length; ; left -= 255) {
    segments.push(Math.min(left, 255));
    if (left < 255) break;
  }
  header[26] = segments.length;
  return Buffer.concat([header, Buffer.from(segments), payload]);
}

/** EBML header declaring a WebM document, then a Segment of unknown size holding `payload`. */
function webmShell(payload: Buffer): Buffer {
  const docType = Buffer.from([0x42, 0x82, 0x84, ...text('webm')]);
  const ebml = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x80 | docType.length]), docType]);
  return Buffer.concat([ebml, Buffer.from([0x18, 0x53, 0x80, 0x67, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), payload]);
}

function riffWave(payload: Buffer): Buffer {
  const head = Buffer.alloc(12);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(4 + payload.length, 4);
  head.write('WAVE', 8, 'latin1');
  return Buffer.concat([head, payload]);
}

function ftyp(payload: Buffer): Buffer {
  const box = Buffer.alloc(20);
  box.writeUInt32BE(20, 0);
  box.write('ftypM4A \0\0\0\0M4A ', 4, 'latin1');
  return Buffer.concat([box, payload]);
}

export function smugglingCorpus(canaryPath: string, selfName: string): SmugglingPayload[] {
  const hls = text(hlsPlaylist(canaryPath));
  const concat = text(concatList(canaryPath, selfName));
  const selfConcat = text(`ffconcat version 1.0\n${`file ${selfName}\n`.repeat(200)}`);
  return [
    // The reproduced exploits: an ID3 tag in front of a playlist / a self-naming concat list.
    { name: 'ID3 + HLS playlist naming a server file', bytes: Buffer.concat([ID3, hls]) },
    { name: 'ID3 + ffconcat list naming itself', bytes: Buffer.concat([ID3, selfConcat]) },
    { name: 'ID3 + ffconcat list naming a server file', bytes: Buffer.concat([ID3, concat]) },
    { name: 'ID3 + one MPEG header + HLS playlist', bytes: Buffer.concat([ID3, twoMpegFrames().subarray(0, 417), hls]) },
    // Forged: passes the sniffer (two real frame headers), then the playlist. The mp3 demuxer is all that reads it.
    { name: 'ID3 + two MPEG frames + HLS playlist', bytes: Buffer.concat([ID3, twoMpegFrames(), hls]) },
    { name: 'two MPEG frames + ffconcat list', bytes: Buffer.concat([twoMpegFrames(), concat]) },
    // No magic at all.
    { name: 'bare HLS playlist', bytes: hls },
    { name: 'bare ffconcat list naming itself', bytes: selfConcat },
    { name: 'HLS playlist with http: and data: segments', bytes: text('#EXTM3U\n#EXTINF:1,\nhttp://169.254.169.254/latest/meta-data/\n#EXTINF:1,\ndata:audio/wav;base64,UklGRg==\n') },
    { name: 'SDP naming a network stream', bytes: text('v=0\no=- 0 0 IN IP4 127.0.0.1\ns=x\nc=IN IP4 127.0.0.1\nt=0 0\nm=audio 5004 RTP/AVP 0\n') },
    // Every other magic the sniffer accepts, with a playlist or list behind it.
    { name: 'RIFF/WAVE header + HLS playlist', bytes: riffWave(hls) },
    { name: 'RIFF/WAVE "fmt " of an unknown codec + ffconcat', bytes: riffWave(Buffer.concat([text('fmt '), Buffer.from([16, 0, 0, 0, 0x34, 0x12, 1, 0, 0x80, 0x3e, 0, 0, 0, 0x7d, 0, 0, 2, 0, 16, 0]), text('data'), Buffer.from([0xff, 0xff, 0xff, 0x7f]), concat])) },
    { name: 'fLaC + ffconcat list', bytes: Buffer.concat([text('fLaC'), concat]) },
    { name: 'fLaC + HLS playlist', bytes: Buffer.concat([text('fLaC'), hls]) },
    { name: 'Ogg page carrying an HLS playlist', bytes: oggPage(hls) },
    { name: 'Ogg page carrying an ffconcat list', bytes: oggPage(concat) },
    { name: 'WebM header + HLS playlist', bytes: webmShell(hls) },
    { name: 'EBML magic + ffconcat list', bytes: Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), concat]) },
    { name: 'ftyp box + HLS playlist', bytes: ftyp(hls) },
    { name: 'ftyp box + ffconcat list', bytes: ftyp(concat) },
    // Nested containers: a whole container inside another one's magic.
    { name: 'WAV inside an ID3 tag', bytes: Buffer.concat([ID3, riffWave(text('fmt '))]) },
    { name: 'ID3 + Ogg page', bytes: Buffer.concat([ID3, oggPage(hls)]) },
  ];
}

const MOV_CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'dinf']);

/**
 * A real M4A (moov first) whose sample data lives only "in another file": its data reference is a Mac alias record
 * pointing at `canaryName` one folder above the upload (nlvl_from 2 → "<upload dir>/../<canaryName>"), and its mdat
 * is gone. A demuxer that follows drefs would open the canary; ours must not, and the file then holds no audio (422).
 */
export function movWithExternalDref(faststartM4a: Buffer, canaryName: string): SmugglingPayload {
  return { name: 'M4A whose data reference points at another file', bytes: rewriteBoxes(faststartM4a, canaryName) };
}

function rewriteBoxes(bytes: Buffer, canaryName: string): Buffer {
  const out: Buffer[] = [];
  for (let offset = 0; offset + 8 <= bytes.length; ) {
    const size = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    if (size < 8 || offset + size > bytes.length) break;
    const body = bytes.subarray(offset + 8, offset + size);
    offset += size;
    if (type === 'mdat') continue;
    const newBody = MOV_CONTAINERS.has(type) ? rewriteBoxes(body, canaryName) : type === 'dref' ? aliasDref(canaryName) : body;
    const head = Buffer.alloc(8);
    head.writeUInt32BE(8 + newBody.length, 0);
    head.write(type, 4, 'latin1');
    out.push(head, newBody);
  }
  return Buffer.concat(out);
}

/** dref body: version/flags, one entry of type 'alis' laid out as ffmpeg's mov_read_dref reads it. */
function aliasDref(canaryName: string): Buffer {
  const fixed = Buffer.alloc(150); // skip 10, volume len + 27, skip 12, name len + 63, skip 16, nlvl from/to, skip 16
  fixed.writeUInt16BE(2, 10 + 1 + 27 + 12 + 1 + 63 + 16); // nlvl_from: up two levels from the upload's folder…
  fixed.writeUInt16BE(1, 10 + 1 + 27 + 12 + 1 + 63 + 16 + 2); // …then down one, to the last path component
  const path = Buffer.from(`:x:${canaryName}`, 'latin1');
  const padded = Buffer.concat([path, Buffer.alloc(path.length % 2)]);
  const record = Buffer.alloc(4);
  record.writeUInt16BE(2, 0); // type 2: absolute path (":" separated)
  record.writeUInt16BE(path.length, 2);
  const end = Buffer.from([0xff, 0xff, 0, 0]);
  const entryBody = Buffer.concat([fixed, record, padded, end]);
  const entry = Buffer.alloc(12);
  entry.writeUInt32BE(12 + entryBody.length, 0);
  entry.write('alis', 4, 'latin1');
  const header = Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]); // version/flags, one entry
  return Buffer.concat([header, entry, entryBody]);
}
