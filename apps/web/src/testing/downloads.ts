/**
 * Records what the console's download links save: jsdom has no object URLs and does not follow links, so the blob
 * handed to URL.createObjectURL and the name of the clicked link are kept instead. Call in beforeEach, after which
 * `jest.restoreAllMocks()` undoes the link spy.
 */
export function captureDownloads(): { last(): Promise<{ name: string; text: string }> } {
  const blobs: Blob[] = [];
  const names: string[] = [];
  Object.assign(URL, {
    createObjectURL: jest.fn((blob: Blob) => {
      blobs.push(blob);
      return 'blob:mock';
    }),
    revokeObjectURL: jest.fn(),
  });
  jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    names.push(this.download);
  });
  return {
    // jsdom's Blob has no text(): read it the old way.
    last: () =>
      new Promise((resolve) => {
        const reader = new FileReader();
        reader.onload = () => resolve({ name: names.at(-1) ?? '', text: String(reader.result) });
        reader.readAsText(blobs.at(-1) as Blob);
      }),
  };
}
