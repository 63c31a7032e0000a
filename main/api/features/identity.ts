/**
 * Identifying a patient by a bare ID number (mdtrt_cert_type 02, no card, no 医保码): the cashier types the
 * number and confirms on screen that the patient's own ID document was checked (the card is not shared:
 * domain.md rule 1). The rule itself (profile allows it, confirmation given, audit entry) is the sale
 * layer's (main/sales/identify.ts): this handler only carries the cashier's confirmation there.
 */
import type { Feature } from '../feature';

export const identityHandlers: Feature<'identifyByIdNumber'> = ({ counter }) => ({
  identifyByIdNumber: async ({ certno, idDocumentChecked }) =>
    counter.step('正在核验身份证号…', () => counter.identify({ kind: 'idno', certno, idDocumentChecked })),
});
