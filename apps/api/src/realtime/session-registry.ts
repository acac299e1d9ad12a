import { DomainError } from '../common/domain-error';

/** Open realtime sessions, bounded per process and per owner (API key, or the anonymous owner). */
export class SessionRegistry {
  private total = 0;
  private readonly perOwner = new Map<string, number>();

  constructor(
    private readonly maxSessions: number,
    private readonly maxPerOwner: number,
  ) {}

  get open(): number {
    return this.total;
  }

  /** A place for a new session, or TOO_MANY_STREAMS; the returned function gives it back (once). */
  take(owner: string): () => void {
    if (this.total >= this.maxSessions) {
      throw new DomainError('TOO_MANY_STREAMS', `This server already holds ${this.maxSessions} realtime sessions; retry later.`, { limit: this.maxSessions, limit_scope: 'server' }, 5);
    }
    const mine = this.perOwner.get(owner) ?? 0;
    if (mine >= this.maxPerOwner) {
      throw new DomainError('TOO_MANY_STREAMS', `This API key already has ${this.maxPerOwner} realtime sessions open; close one first.`, { limit: this.maxPerOwner, limit_scope: 'key' }, 5);
    }
    this.total += 1;
    this.perOwner.set(owner, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= 1;
      const left = (this.perOwner.get(owner) ?? 1) - 1;
      if (left > 0) this.perOwner.set(owner, left);
      else this.perOwner.delete(owner);
    };
  }
}
