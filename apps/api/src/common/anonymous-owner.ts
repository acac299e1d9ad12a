/**
 * Owner of jobs created without a key (keys optional, local development). It lives here, below auth/ and storage/,
 * because both speak of it: auth resolves a keyless caller to it, the stores read it into documents written before
 * jobs had owners.
 */
export const ANONYMOUS_OWNER = 'anonymous';
