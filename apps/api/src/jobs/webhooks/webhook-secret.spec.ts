import { signWebhook, verifyWebhookSignature } from './webhook-signature';
import { webhookSecretFor } from './webhook-secret';

describe('webhookSecretFor', () => {
  const master = 'master-secret-0123456789';

  it('gives each owner its own stable secret', () => {
    expect(webhookSecretFor(master, 'key_a')).toBe(webhookSecretFor(master, 'key_a'));
    expect(webhookSecretFor(master, 'key_a')).not.toBe(webhookSecretFor(master, 'key_b'));
    expect(webhookSecretFor(master, 'key_a')).toMatch(/^whsec_[0-9a-f]{64}$/);
  });

  it('changes every secret when the master secret changes', () => {
    expect(webhookSecretFor('another-master-secret', 'key_a')).not.toBe(webhookSecretFor(master, 'key_a'));
  });

  it("never lets one owner's secret sign what another owner's receiver accepts", () => {
    const now = 1_800_000_000;
    const forged = signWebhook(webhookSecretFor(master, 'key_a'), now, '{"job":"of key b"}');
    expect(verifyWebhookSignature(webhookSecretFor(master, 'key_b'), String(now), '{"job":"of key b"}', forged, 300, now)).toBe(false);
    expect(verifyWebhookSignature(webhookSecretFor(master, 'key_a'), String(now), '{"job":"of key b"}', forged, 300, now)).toBe(true);
  });
});
