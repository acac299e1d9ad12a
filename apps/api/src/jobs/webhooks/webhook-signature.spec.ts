import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhookSignature } from './webhook-signature';

describe('webhook signatures', () => {
  const secret = 'a-secret-of-sixteen+';
  const body = '{"type":"job.succeeded"}';

  it('is HMAC-SHA256 over "<timestamp>.<body>", hex, with a version prefix', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(signWebhook(secret, 1700000000, body)).toBe(`v1=${expected}`);
  });

  it('verifies its own signature and refuses any change, another secret, or an old timestamp', () => {
    const now = 1700000100;
    const signature = signWebhook(secret, 1700000000, body);
    expect(verifyWebhookSignature(secret, '1700000000', body, signature, 300, now)).toBe(true);
    expect(verifyWebhookSignature(secret, '1700000000', `${body} `, signature, 300, now)).toBe(false);
    expect(verifyWebhookSignature('another-secret-123', '1700000000', body, signature, 300, now)).toBe(false);
    expect(verifyWebhookSignature(secret, '1700000001', body, signature, 300, now)).toBe(false);
    expect(verifyWebhookSignature(secret, '1700000000', body, signature, 60, now)).toBe(false);
    expect(verifyWebhookSignature(secret, '1700000000', body, undefined, 300, now)).toBe(false);
  });
});
