/** A refusal the cashier can act on: what happened and what to do next, in Chinese. Nothing changed. */
export class SaleError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SaleError';
  }
}
