/**
 * What the dYdX v4 indexer readers share (dydxSubaccounts.ts, dydxFills.ts, dydxMarkets.ts): the venue id, the
 * account name of a subaccount, the instant of a response that carries none, and object-map iteration.
 *
 * Accounts: dYdX margins each subaccount on its own (cross within it; an isolated position lives in its own child
 * subaccount, number 128 × k + parent), so a Riskdesk account is one subaccount, named `<address>/<number>`
 * (`dydx1kzsv…/0`). Responses that do not name the address (`/v4/perpetualPositions`, `/v4/fills`) use the
 * `--account` given, else `main`, before the `/<number>`.
 *
 * Time: the indexer's account, position and market responses carry block heights, not times, so their instant is
 * the user's `--snapshot-time` (as for Hyperliquid's 2023 clearinghouseState); without it the import is refused.
 */
import type { Node } from 'jsonc-parser'
import type { FormatContext } from '../../core/formatTypes'

export const DYDX = 'dydx'

export const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** `<address or --account or main>/<subaccount number>`. */
export function subaccountName(ctx: FormatContext, address: string | null, subaccountNumber: number): string {
  return `${ctx.options.account ?? address ?? 'main'}/${subaccountNumber}`
}

/** The response's instant: the user's snapshot time; undefined after an issue naming what to give. */
export function snapshotTime(ctx: FormatContext, what: string, height: string | null): number | undefined {
  if (ctx.options.snapshotTime !== undefined) {
    ctx.sink.note(`the dYdX indexer ${what} carries no time${height ? ` (block height ${height})` : ''}: snapshot time ${new Date(ctx.options.snapshotTime).toISOString()} as given`)
    return ctx.options.snapshotTime
  }
  ctx.sink.issue({
    file: ctx.file, line: null, column: null,
    message: `the dYdX indexer ${what} carries no time${height ? ` (only block height ${height})` : ''}: give the instant it was fetched (riskdesk import --snapshot-time 2024-08-01T12:00:00Z, or the Import view’s snapshot time)`,
  })
  return undefined
}

/** The (key, value node) pairs of an object node, in file order. */
export function entriesOf(node: Node | undefined): Array<[string, Node]> {
  if (!node || node.type !== 'object') return []
  return (node.children ?? []).flatMap((p) => (p.children?.length === 2 ? [[p.children[0]!.value as string, p.children[1]!] as [string, Node]] : []))
}

/** A subaccount number: an integer 0 … 128 000 (128 parents × 1,000 children, indexer CHILD_SUBACCOUNT_MULTIPLIER). */
export function subaccountNumberOf(raw: string | undefined): number | null {
  return raw !== undefined && /^(0|[1-9]\d{0,5})$/.test(raw) && Number(raw) <= 128_000 ? Number(raw) : null
}
