// One Idempotency-Key per distinct submission: a retry of the same form (lost network, double tap)
// sends the same key and gets the same order; a changed form gets a new key.

export function newKey(random: () => number = Math.random): string {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('')
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(random() * 4)]}${hex(3)}-${hex(12)}`
}

export class SubmissionKeys {
  private body = ''
  private key = ''

  constructor(private readonly make: () => string = newKey) {}

  /** The key for this exact body: the previous one when the body is unchanged. */
  keyFor(body: unknown): string {
    const text = JSON.stringify(body)
    if (text !== this.body || !this.key) {
      this.body = text
      this.key = this.make()
    }
    return this.key
  }
}
