/**
 * A scan the counter must not route as a drug or a 医保码: while the tender dialog waits for a payment
 * reference, a keyboard-wedge scan of the patient's 付款码 fills that field instead. Its own module so that
 * App and the dialog both import it without importing each other.
 */
export const scanCapture: { current: ((code: string) => boolean) | null } = { current: null };
