/** The one error lib/auth raises for a request it cannot let through; lib/api turns it into a 401 problem. */

export class UnauthorizedError extends Error {
  /** The WWW-Authenticate challenge the answer carries, when there is one to give. */
  readonly challenge?: string;
  constructor(message: string, challenge?: string) {
    super(message);
    this.name = 'UnauthorizedError';
    this.challenge = challenge;
  }
}
