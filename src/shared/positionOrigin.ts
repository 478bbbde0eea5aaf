/**
 * Where a line of the whole book comes from (shared/api.ts `positionRow.origin`): an imported position, an
 * imported balance, a what-if leg, or the cash a what-if leg moves (its premium or price, a change of the
 * account's balance in the instrument's price currency, carrying the leg's id).
 */
export const POSITION_ORIGINS = ['position', 'balance', 'whatif', 'whatif-cash'] as const
export type PositionOrigin = (typeof POSITION_ORIGINS)[number]

/** Whether a row belongs to a what-if (a leg or the cash it moves). */
export const isWhatIfOrigin = (origin: PositionOrigin): boolean => origin === 'whatif' || origin === 'whatif-cash'

/** Whether a row is held money valued at the index (an imported balance or a what-if leg's cash), not a position. */
export const isBalanceOrigin = (origin: PositionOrigin): boolean => origin === 'balance' || origin === 'whatif-cash'
