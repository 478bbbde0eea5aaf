/**
 * The what-if's legs as one string (id and quantity of each): an on-demand answer (hedge, VaR) asked for another
 * signature than the current one was computed before the legs last changed, and is shown as stale.
 */
import type { WhatIfLeg } from '../../../../shared/whatifApi'

export const legsSignature = (legs: readonly WhatIfLeg[]): string => legs.map((l) => `${l.id}:${l.quantity}`).join(',')
