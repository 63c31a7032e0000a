/** What the patient chose for a sale: which of his accounts pay before cash. */
export interface Choices {
  useAccount: boolean;
  useWallet: boolean;
  /** The most the wallet may pay, in fen; null: no cap. */
  walletCapFen: number | null;
}
