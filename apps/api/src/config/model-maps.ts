/**
 * `name=value,name=value` maps of the model variables (MODEL_SERVER_MODELS, SAGEMAKER_MODELS, MODEL_DOWNLOAD_SHA1).
 * Returns the entries in order, or the problem with the first malformed one.
 */
export function parseModelMap(raw: string): { entries: Array<[string, string]> } | { problem: string } {
  const entries: Array<[string, string]> = [];
  for (const item of raw.split(',').map((part) => part.trim()).filter((part) => part.length > 0)) {
    const at = item.indexOf('=');
    const name = item.slice(0, at).trim();
    const value = item.slice(at + 1).trim();
    if (at <= 0 || !name || !value) return { problem: `"${item}" is not name=value` };
    if (entries.some(([seen]) => seen === name)) return { problem: `model "${name}" is named twice` };
    entries.push([name, value]);
  }
  return { entries };
}

/** The map, for a value the schema already validated. */
export function modelMap(raw: string): Array<[string, string]> {
  const parsed = parseModelMap(raw);
  return 'entries' in parsed ? parsed.entries : [];
}

/** A SageMaker target: `endpoint` or `endpoint/variant` (TargetVariant). */
export interface SageMakerTarget {
  readonly endpoint: string;
  readonly variant?: string;
}

export function sageMakerTarget(value: string): SageMakerTarget {
  const slash = value.indexOf('/');
  return slash < 0 ? { endpoint: value } : { endpoint: value.slice(0, slash), variant: value.slice(slash + 1) };
}
