/**
 * ggml models published in the whisper.cpp model repository (ggerganov/whisper.cpp on Hugging Face), named
 * as in upstream's models/download-ggml-model.sh. SHA-1 values are the ones upstream lists in
 * models/README.md (whisper.cpp 1.9.1, as bundled in node_modules/nodejs-whisper). Upstream lists no
 * checksum for the other quantized files; for those (sha1: null) a download is checked for its full length
 * (Content-Length) and the ggml magic only.
 */
export interface CatalogModel {
  name: string;
  sha1: string | null;
  /** Approximate size from upstream's table, for messages and progress without Content-Length. */
  approxMiB: number | null;
  multilingual: boolean;
}

const entries: Array<[name: string, sha1: string | null, approxMiB: number | null]> = [
  ['tiny', 'bd577a113a864445d4c299885e0cb97d4ba92b5f', 75],
  ['tiny.en', 'c78c86eb1a8faa21b369bcd33207cc90d64ae9df', 75],
  ['tiny-q5_1', null, null],
  ['tiny.en-q5_1', null, null],
  ['tiny-q8_0', null, null],
  ['base', '465707469ff3a37a2b9b8d8f89f2f99de7299dac', 142],
  ['base.en', '137c40403d78fd54d454da0f9bd998f78703390c', 142],
  ['base-q5_1', null, null],
  ['base.en-q5_1', null, null],
  ['base-q8_0', null, null],
  ['small', '55356645c2b361a969dfd0ef2c5a50d530afd8d5', 466],
  ['small.en', 'db8a495a91d927739e50b3fc1cc4c6b8f6c2d022', 466],
  ['small-q5_1', null, null],
  ['small.en-q5_1', null, null],
  ['small-q8_0', null, null],
  ['medium', 'fd9727b6e1217c2f614f9b698455c4ffd82463b4', 1536],
  ['medium.en', '8c30f0e44ce9560643ebd10bbe50cd20eafd3723', 1536],
  ['medium-q5_0', null, null],
  ['medium.en-q5_0', null, null],
  ['medium-q8_0', null, null],
  ['large-v1', 'b1caaf735c4cc1429223d5a74f0f4d0b9b59a299', 2970],
  ['large-v2', '0f4c8e34f21cf1a914c59d8b3ce882345ad349d6', 2970],
  ['large-v2-q5_0', '00e39f2196344e901b3a2bd5814807a769bd1630', 1126],
  ['large-v2-q8_0', null, null],
  ['large-v3', 'ad82bf6a9043ceed055076d0fd39f5f186ff8062', 2970],
  ['large-v3-q5_0', 'e6e2ed78495d403bef4b7cff42ef4aaadcfea8de', 1126],
  ['large-v3-turbo', '4af2b29d7ec73d781377bfd1758ca957a807e941', 1536],
  ['large-v3-turbo-q5_0', 'e050f7970618a659205450ad97eb95a18d69c9ee', 547],
  ['large-v3-turbo-q8_0', null, null],
];

export const MODEL_CATALOG: ReadonlyMap<string, CatalogModel> = new Map(
  entries.map(([name, sha1, approxMiB]) => [name, { name, sha1, approxMiB, multilingual: !name.includes('.en') }]),
);

export function catalogModel(name: string): CatalogModel | undefined {
  return MODEL_CATALOG.get(name);
}

export function modelFileName(name: string): string {
  return `ggml-${name}.bin`;
}

export function modelUrl(baseUrl: string, name: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${modelFileName(name)}`;
}
